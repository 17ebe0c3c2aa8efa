using System.Globalization;

namespace Daxdi.Benchmarks;

/// <summary>The options of a harness command: each a name and what to do with its value.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, Action<string>> _options = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Action> _flags = new(StringComparer.Ordinal);
    private readonly List<(string Name, string Value)> _environment = [];

    /// <summary>The <c>--env</c> settings, in the order given.</summary>
    public IReadOnlyList<(string Name, string Value)> Environment => _environment;

    /// <summary>Takes <c>--env NAME=VALUE</c> (repeatable): settings the command passes on to the API process it starts.</summary>
    public CommandLine WithEnv() => Text("--env", setting =>
    {
        var equals = setting.IndexOf('=', StringComparison.Ordinal);
        _environment.Add(equals > 0 ? (setting[..equals], setting[(equals + 1)..]) : throw new ArgumentException("--env needs NAME=VALUE."));
    });

    public CommandLine Text(string name, Action<string> set)
    {
        _options.Add(name, set);
        return this;
    }

    public CommandLine File(string name, Action<string> set) => Text(name, value => set(Path.GetFullPath(value)));

    public CommandLine Number(string name, int min, Action<int> set) => Text(name, value =>
        set(int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new ArgumentException($"{name} needs a whole number of at least {min}.")));

    public CommandLine Flag(string name, Action set)
    {
        _flags.Add(name, set);
        return this;
    }

    /// <summary>Applies <paramref name="args"/>; an unknown option or a bad value throws <see cref="ArgumentException"/>.</summary>
    public void Parse(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (_flags.TryGetValue(args[i], out var flag))
            {
                flag();
            }
            else if (_options.TryGetValue(args[i], out var option))
            {
                option(i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value."));
            }
            else
            {
                throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }
    }

    /// <summary>As <see cref="Parse"/>, but a mistake is written with <paramref name="usage"/> to stderr and answers false.</summary>
    public bool TryParse(IReadOnlyList<string> args, string usage)
    {
        try
        {
            Parse(args);
            return true;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"{e.Message}\n\n{usage}");
            return false;
        }
    }
}
