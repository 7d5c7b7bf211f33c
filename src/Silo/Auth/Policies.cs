namespace GridGov.Realtime.Silo.Auth;

/// <summary>
/// Named authorization policies registered by <c>AddGridGovAuth</c>. Each role policy also admits
/// admins. <see cref="RegionAccess"/> checks the user's scope against the route value
/// <see cref="RegionCodeRouteValue"/>; for another route value use <c>RequireRegionAccess("name")</c>.
/// </summary>
public static class Policies
{
    public const string Admin = "GridGov.Admin";
    public const string CommandStaff = "GridGov.CommandStaff";
    public const string DepartmentHandler = "GridGov.DepartmentHandler";
    public const string GridWorker = "GridGov.GridWorker";
    public const string Responder = "GridGov.Responder";

    /// <summary>The user's region scope covers the route value <c>{regionCode}</c>.</summary>
    public const string RegionAccess = "GridGov.RegionAccess";

    /// <summary>The route value name <see cref="RegionAccess"/> reads.</summary>
    public const string RegionCodeRouteValue = "regionCode";

    /// <summary>Role policy name → the role it requires (admin is always added).</summary>
    internal static IReadOnlyDictionary<string, string> RolePolicies { get; } = new Dictionary<string, string>
    {
        [Admin] = Roles.Admin,
        [CommandStaff] = Roles.CommandStaff,
        [DepartmentHandler] = Roles.DepartmentHandler,
        [GridWorker] = Roles.GridWorker,
        [Responder] = Roles.Responder,
    };
}
