namespace GridGov.Realtime.Silo.Auth;

/// <summary>The user roles, as they appear in tokens, the user store and role checks.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string CommandStaff = "command_staff";
    public const string DepartmentHandler = "department_handler";
    public const string GridWorker = "grid_worker";
    public const string Responder = "responder";

    /// <summary>Every role, in a stable order (used in error messages).</summary>
    public static IReadOnlyList<string> All { get; } = [Admin, CommandStaff, DepartmentHandler, GridWorker, Responder];

    /// <summary>True when <paramref name="role"/> is one of the known roles (exact, lower-case match).</summary>
    public static bool IsKnown(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);
}
