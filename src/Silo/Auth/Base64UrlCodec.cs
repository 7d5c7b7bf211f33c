namespace GridGov.Realtime.Silo.Auth;

/// <summary>Strict base64url without padding (RFC 7515 §2): any other character, or padding, is rejected.</summary>
internal static class Base64UrlCodec
{
    public static string Encode(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[]? TryDecode(ReadOnlySpan<char> text)
    {
        if (text.Length % 4 == 1) return null;
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return null;
        }
        var padded = new char[text.Length + ((4 - (text.Length % 4)) % 4)];
        for (var i = 0; i < text.Length; i++) padded[i] = text[i] switch { '-' => '+', '_' => '/', var c => c };
        padded.AsSpan(text.Length).Fill('=');
        try
        {
            return Convert.FromBase64CharArray(padded, 0, padded.Length);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
