using System.Text;

namespace Daxdi.Tests.Fuzz;

/// <summary>One generated request, kept whole so a failure can print exactly what was sent.</summary>
public sealed class FuzzRequest(ApiOperation operation, string mode)
{
    private const int Shown = 400;

    public ApiOperation Operation { get; } = operation;

    /// <summary>"valid", or the mutations applied (e.g. <c>body:duplicate-keys+accept</c>).</summary>
    public string Mode { get; set; } = mode;

    public string Method { get; set; } = operation.Method;

    public string PathAndQuery { get; set; } = "";

    /// <summary>The path values, when they came from the pool (not mutated); learned from on success.</summary>
    public IReadOnlyDictionary<string, string>? PathValues { get; set; }

    /// <summary>The role whose key is sent, or null; failures name the role, never the secret.</summary>
    public string? Role { get; set; }

    public string? Authorization { get; set; }

    public List<(string Name, string Value)> Headers { get; } = [];

    public string? Body { get; set; }

    public string? ContentType { get; set; }

    /// <summary>A mutation picked <see cref="ContentType"/> (possibly none): later ones keep it.</summary>
    public bool ContentTypeChosen { get; set; }

    /// <summary>Why the contract says this request must be refused (4xx), when a mutation made that certain.</summary>
    public string? MustRefuse { get; set; }

    public string Describe()
    {
        var text = new StringBuilder($"{Method} {PathAndQuery}\n");
        if (Authorization is not null)
        {
            text.Append("Authorization: ").Append(Role is null ? Authorization : $"Bearer <{Role} key>").Append('\n');
        }

        foreach (var (name, value) in Headers)
        {
            text.Append(name).Append(": ").Append(Truncate(value)).Append('\n');
        }

        if (ContentType is not null)
        {
            text.Append("Content-Type: ").Append(ContentType).Append('\n');
        }

        if (Body is not null)
        {
            text.Append(Truncate(Body)).Append(Body.Length > Shown ? $" …({Body.Length} chars)" : "").Append('\n');
        }

        return text.ToString();
    }

    public static string Truncate(string text) => text.Length <= Shown ? text : text[..Shown];
}
