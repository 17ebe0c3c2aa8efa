namespace Daxdi.Application.Common;

/// <summary>One page of a keyset-paginated list.</summary>
/// <param name="Items">The items of this page, in list order.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> to get the next page; <c>null</c> on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
