namespace Daxdi.Domain.Taxonomy;

/// <summary>Limits of taxonomy fields, shared by validation and the store schema.</summary>
public static class TaxonomyRules
{
    public const int SlugMaxLength = 80;
    public const int NameMaxLength = 100;
    public const int DescriptionMaxLength = 2000;
    public const int UrlMaxLength = 2000;
}
