using System.Buffers.Text;
using System.Text.Json;

namespace Daxdi.Application.Common;

/// <summary>
/// Opaque keyset cursors: the sort-key values of the last item of a page, as base64url JSON.
/// Clients must treat them as opaque strings.
/// </summary>
public static class Cursor
{
    public const int MaxLength = 512;

    public static string Encode(params string[] values) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(values));

    public static bool TryDecode(string? cursor, int expectedParts, out string[] values)
    {
        values = [];
        if (string.IsNullOrEmpty(cursor) || cursor.Length > MaxLength)
        {
            return false;
        }

        try
        {
            var decoded = JsonSerializer.Deserialize<string[]>(Base64Url.DecodeFromChars(cursor));
            if (decoded is null || decoded.Length != expectedParts || decoded.Any(v => v is null))
            {
                return false;
            }

            values = decoded;
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }
}
