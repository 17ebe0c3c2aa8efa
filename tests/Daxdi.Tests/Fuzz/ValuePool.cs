using System.Globalization;
using System.Text.Json;

namespace Daxdi.Tests.Fuzz;

/// <summary>
/// Real values learned from the API's own answers, so generated requests get past 404 to validation and handlers:
/// values per parameter name (a response property <c>slug</c> feeds <c>{slug}</c>, <c>nextCursor</c> feeds
/// <c>cursor</c>), and bindings: path values that answered 2xx for a path template.
/// </summary>
public sealed class ValuePool(IEnumerable<string> parameterNames, ISet<string> protectedValues)
{
    private const int MaxPerName = 300;
    private readonly HashSet<string> _names = [.. parameterNames];
    private readonly Dictionary<string, List<string>> _values = [];
    private readonly List<(string Template, IReadOnlyDictionary<string, string> Values)> _bindings = [];

    /// <summary>Every learned value, for string fields that name other resources (authors, tags, article ids).</summary>
    public List<string> Identifiers { get; } = [];

    public List<string> Guids { get; } = [];

    public IReadOnlyList<string> Values(string name) =>
        _values.TryGetValue(name, out var list) ? list : [];

    public void Add(string name, string value)
    {
        if (value.Length is 0 or > 200 || protectedValues.Contains(value))
        {
            return;
        }

        var list = _values.TryGetValue(name, out var existing) ? existing : _values[name] = [];
        AddCapped(list, value);
        AddCapped(Identifiers, value);
        if (System.Guid.TryParse(value, out _))
        {
            AddCapped(Guids, value);
        }
    }

    /// <summary>Walks a response body and keeps the scalars whose property names are parameter names.</summary>
    public void Learn(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var name = ParameterName(property.Name);
                    if (_names.Contains(name) && property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                    {
                        Add(name, Text(property.Value));
                    }

                    Learn(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Learn(item);
                }

                break;
        }
    }

    public static string Text(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    public void Bind(string template, IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0 || values.Values.Any(protectedValues.Contains)
            || _bindings.Any(b => b.Template == template && Same(b.Values, values)))
        {
            return;
        }

        _bindings.Add((template, values));
        foreach (var (name, value) in values)
        {
            Add(name, value);
        }
    }

    /// <summary>Forgets bindings that hold all of <paramref name="values"/> (the resource was deleted).</summary>
    public void Forget(IReadOnlyDictionary<string, string> values) =>
        _bindings.RemoveAll(b => values.All(v => b.Values.TryGetValue(v.Key, out var x) && x == v.Value));

    /// <summary>Known-good values for <paramref name="names"/> from templates that <paramref name="template"/> extends.</summary>
    public List<IReadOnlyDictionary<string, string>> BindingsFor(string template, IReadOnlyCollection<string> names) =>
        [.. _bindings.Where(b => template.StartsWith(b.Template, StringComparison.Ordinal)
                && (template.Length == b.Template.Length || template[b.Template.Length] == '/')
                && names.All(b.Values.ContainsKey))
            .Select(b => (IReadOnlyDictionary<string, string>)names.ToDictionary(n => n, n => b.Values[n]))];

    /// <summary><c>nextCursor</c> is passed back as <c>cursor</c>: the API's own naming convention.</summary>
    private static string ParameterName(string property) =>
        property.StartsWith("next", StringComparison.Ordinal) && property.Length > 4
            ? char.ToLower(property[4], CultureInfo.InvariantCulture) + property[5..]
            : property;

    private static bool Same(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);

    private static void AddCapped(List<string> list, string value)
    {
        if (list.Contains(value))
        {
            return;
        }

        if (list.Count >= MaxPerName)
        {
            list.RemoveAt(0);
        }

        list.Add(value);
    }
}
