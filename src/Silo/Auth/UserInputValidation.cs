namespace GridGov.Realtime.Silo.Auth;

/// <summary>Rules for usernames, passwords, roles and scopes; each check returns an error message or null.</summary>
internal static class UserInputValidation
{
    public const int MinUserNameLength = 3;
    public const int MaxUserNameLength = 64;
    public const int MinPasswordLength = 12;
    public const int MaxPasswordLength = 256;

    /// <summary>Usernames are compared case-insensitively and stored lower-case.</summary>
    public static string Normalize(string userName) => userName.ToLowerInvariant();

    public static string? ValidateUserName(string? userName)
    {
        if (string.IsNullOrEmpty(userName)) return "Username is required.";
        if (userName.Length is < MinUserNameLength or > MaxUserNameLength)
            return $"Username must be {MinUserNameLength}–{MaxUserNameLength} characters long.";
        foreach (var c in userName)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
                return "Username may contain only ASCII letters, digits, '.', '_' and '-'.";
        }
        if (!char.IsAsciiLetterOrDigit(userName[0])) return "Username must start with a letter or digit.";
        return null;
    }

    public static string? ValidatePassword(string? password)
    {
        if (string.IsNullOrEmpty(password)) return "Password is required.";
        if (password.Length < MinPasswordLength) return $"Password must be at least {MinPasswordLength} characters long.";
        if (password.Length > MaxPasswordLength) return $"Password must be at most {MaxPasswordLength} characters long.";
        if (string.IsNullOrWhiteSpace(password)) return "Password must not be only whitespace.";
        return null;
    }

    public static string? ValidateRole(string? role) =>
        Roles.IsKnown(role) ? null : $"Role must be one of: {string.Join(", ", Roles.All)}.";

    /// <summary>Checks a scope for a role: digits only; empty (whole system) only for admins.</summary>
    public static string? ValidateRegionScope(string? scope, string? role)
    {
        if (scope is null) return "Region scope is required (\"\" means the whole system, admins only).";
        if (!RegionScope.TryParse(scope, out var parsed))
            return $"Region scope must be a region code of 1–{RegionScope.MaxCodeLength} digits, or \"\" for the whole system.";
        if (parsed.IsWholeSystem && role != Roles.Admin) return "Only admins may have the whole-system scope \"\".";
        return null;
    }
}
