using FluentValidation;

namespace Daxdi.Application.Common;

/// <summary>Page size rules shared by every list (DESIGN §3).</summary>
public static class ListLimits
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static IRuleBuilderOptions<T, int> IsPageSize<T>(this IRuleBuilder<T, int> rule) =>
        rule.InclusiveBetween(1, MaxLimit).WithMessage($"'limit' must be between 1 and {MaxLimit}.");

    /// <summary>A cursor this list issued: the right number of parts, each accepted by <paramref name="part"/> when given.</summary>
    public static IRuleBuilderOptions<T, string?> IsCursor<T>(this IRuleBuilder<T, string?> rule, int parts, Func<string, bool>? part = null) =>
        rule.Must(c => c is null || (Cursor.TryDecode(c, parts, out var values) && (part is null || values.All(part))))
            .WithMessage("'cursor' is not valid: pass the nextCursor value of a previous page unchanged.");
}
