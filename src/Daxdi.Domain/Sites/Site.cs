using Daxdi.Domain.Common;

namespace Daxdi.Domain.Sites;

/// <summary>One publication of the network. Everything public is addressed through its <see cref="Key"/>.</summary>
public sealed class Site : Entity
{
    private List<string> _corsOrigins = [];

    private Site()
    {
    }

    public Site(string key, string name, string domain, IEnumerable<string> corsOrigins, string defaultLanguage, DateTime now)
        : base(now)
    {
        Key = key;
        Name = name;
        Domain = domain;
        _corsOrigins = [.. corsOrigins];
        DefaultLanguage = defaultLanguage;
    }

    public string Key { get; private set; } = null!;

    public string Name { get; private set; } = null!;

    public string Domain { get; private set; } = null!;

    public IReadOnlyList<string> CorsOrigins => _corsOrigins;

    public string DefaultLanguage { get; private set; } = null!;

    public void Update(string name, string domain, IEnumerable<string> corsOrigins, string defaultLanguage, DateTime now)
    {
        Name = name;
        Domain = domain;
        _corsOrigins = [.. corsOrigins];
        DefaultLanguage = defaultLanguage;
        Touch(now);
    }
}
