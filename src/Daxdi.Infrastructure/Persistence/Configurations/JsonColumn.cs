using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Daxdi.Infrastructure.Persistence.Configurations;

/// <summary>
/// Values stored as JSON text rather than a provider-specific type, so SQLite, SQL Server and PostgreSQL
/// store them alike. Compared by their JSON, which is what is saved.
/// </summary>
internal static class JsonColumn
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static PropertyBuilder<T> HasJsonConversion<T>(this PropertyBuilder<T> property) where T : class =>
        property.HasConversion(
            v => JsonSerializer.Serialize(v, Options),
            v => JsonSerializer.Deserialize<T>(v, Options)!,
            new ValueComparer<T>(
                (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
                v => JsonSerializer.Serialize(v, Options).GetHashCode(StringComparison.Ordinal),
                v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Options), Options)!));

    /// <summary>
    /// As <see cref="HasJsonConversion{T}"/>, for values that are never changed once saved (a revision's snapshot):
    /// compared by reference, so EF serializes them once, to insert them. The JSON comparer serialized a 10 KB snapshot
    /// twice at every DetectChanges and round-tripped it after every save (docs/performance.md, archive ingest).
    /// </summary>
    public static PropertyBuilder<T> HasImmutableJsonConversion<T>(this PropertyBuilder<T> property) where T : class =>
        property.HasConversion(
            v => JsonSerializer.Serialize(v, Options),
            v => JsonSerializer.Deserialize<T>(v, Options)!,
            new ValueComparer<T>((a, b) => ReferenceEquals(a, b), v => RuntimeHelpers.GetHashCode(v), v => v));

    /// <summary>A list of strings as a JSON array, compared item by item.</summary>
    public static PropertyBuilder<IReadOnlyList<string>> HasStringListConversion(this PropertyBuilder<IReadOnlyList<string>> property) =>
        property.HasConversion(
                v => JsonSerializer.Serialize(v, JsonSerializerOptions.Default),
                v => JsonSerializer.Deserialize<List<string>>(v, JsonSerializerOptions.Default) ?? new List<string>(),
                new ValueComparer<IReadOnlyList<string>>(
                    (a, b) => a!.SequenceEqual(b!),
                    v => v.Aggregate(0, (h, s) => HashCode.Combine(h, s.GetHashCode(StringComparison.Ordinal))),
                    v => v.ToList()))
            .IsRequired();
}
