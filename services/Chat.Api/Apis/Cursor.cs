using System.Buffers.Binary;
using Microsoft.AspNetCore.WebUtilities;

namespace LettaPlatform.Chat.Api.Apis;

/// <summary>Opaque list cursors: a position in the list's sort key, base64url-encoded.</summary>
public static class Cursor
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static string Encode(long position)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, position);
        return WebEncoders.Base64UrlEncode(bytes);
    }

    public static string Encode(Guid position) => WebEncoders.Base64UrlEncode(position.ToByteArray(bigEndian: true));

    public static bool TryDecodeLong(string? cursor, out long position)
    {
        position = 0;
        if (cursor is null)
        {
            return true;
        }

        try
        {
            var bytes = WebEncoders.Base64UrlDecode(cursor);
            if (bytes.Length != 8)
            {
                return false;
            }

            position = BinaryPrimitives.ReadInt64BigEndian(bytes);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static bool TryDecodeGuid(string? cursor, out Guid? position)
    {
        position = null;
        if (cursor is null)
        {
            return true;
        }

        try
        {
            var bytes = WebEncoders.Base64UrlDecode(cursor);
            if (bytes.Length != 16)
            {
                return false;
            }

            position = new Guid(bytes, bigEndian: true);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The validation errors of <paramref name="limit"/> and a cursor that failed to decode, if any.</summary>
    public static Dictionary<string, string[]>? Validate(int? limit, bool cursorValid)
    {
        var errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"limit must be between 1 and {MaxLimit}."];
        }

        if (!cursorValid)
        {
            errors["cursor"] = ["The cursor is not one this API returned."];
        }

        return errors.Count == 0 ? null : errors;
    }
}
