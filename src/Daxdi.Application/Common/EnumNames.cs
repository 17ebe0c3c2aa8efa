namespace Daxdi.Application.Common;

/// <summary>Enum values as query parameters name them: by name, case-insensitively (<c>published</c>, <c>acceptAll</c>).</summary>
public static class EnumNames
{
    /// <summary>The value named <paramref name="value"/>, or null when none is (numbers are not names).</summary>
    public static T? Parse<T>(string? value) where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => (T?)v).FirstOrDefault(v => string.Equals(v.ToString(), value, StringComparison.OrdinalIgnoreCase));
}
