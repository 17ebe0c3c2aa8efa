namespace Daxdi.Domain.Sites;

/// <summary>Limits of a site's fields, shared by validation and the store schema.</summary>
public static class SiteRules
{
    public const int KeyMaxLength = 40;
    public const int NameMaxLength = 100;
    public const int DomainMaxLength = 253;
    public const int OriginMaxLength = 200;
    public const int MaxCorsOrigins = 20;
    public const int LanguageMaxLength = 35;

    public const string KeyPattern = Common.SlugRules.Pattern;
}
