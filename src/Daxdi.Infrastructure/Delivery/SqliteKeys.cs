namespace Daxdi.Infrastructure.Delivery;

/// <summary>Parameters of plain ADO.NET commands on SQLite, in the form EF stores the values.</summary>
internal static class SqliteKeys
{
    /// <summary>A GUID as EF stores it on SQLite: upper-case text.</summary>
    public static string Of(Guid id) => id.ToString().ToUpperInvariant();
}
