namespace GridGov.Realtime.Silo.Auth;

/// <summary>The user roles, as they appear in tokens, the user store and role checks.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string CommandStaff = "command_staff";
    public const string DepartmentHandler = "department_handler";
    public const string GridWorker = "grid_worker";
    public const string Responder = "responder";

    /// <summary>An intake integration's account (citizen app, 12345 hotline, Open311 client): reports public cases and reads cases in its scope.</summary>
    public const string Integration = "integration";

    /// <summary>Every role, in a stable order (used in error messages).</summary>
    public static IReadOnlyList<string> All { get; } = [Admin, CommandStaff, DepartmentHandler, GridWorker, Responder, Integration];

    /// <summary>True when <paramref name="role"/> is one of the known roles (exact, lower-case match).</summary>
    public static bool IsKnown(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);
}
