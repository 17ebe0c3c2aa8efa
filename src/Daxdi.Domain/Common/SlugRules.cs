namespace Daxdi.Domain.Common;

/// <summary>The one slug shape used for site keys, articles and taxonomy.</summary>
public static class SlugRules
{
    /// <summary>Lowercase kebab: letters, digits and single hyphens, starting and ending with a letter or digit.</summary>
    public const string Pattern = "^[a-z0-9]+(?:-[a-z0-9]+)*$";
}
