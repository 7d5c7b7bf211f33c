namespace GridGov.Realtime.Silo.Auth;

/// <summary>Where users are kept.</summary>
public enum UserStoreKind
{
    /// <summary>The <c>users</c> table in the SQLite database at <see cref="AuthOptions.ConnectionString"/>.</summary>
    Sqlite,

    /// <summary>Process memory only: for tests and throwaway demos; users are lost on restart.</summary>
    InMemory,
}

/// <summary>Authentication settings, bound from configuration section <see cref="SectionName"/>.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";
    public const string DefaultIssuer = "gridgov-realtime";
    public const string DefaultAudience = "gridgov-realtime";
    public const int DefaultMaxFailedLogins = 10;
    public const int MinSigningKeyBytes = 32;
    public static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromHours(8);
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(7);
    public static readonly TimeSpan MinTokenLifetime = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DefaultFailedLoginWindow = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Directory for the generated signing key and the initial admin password file. Required unless
    /// both <see cref="SigningKey"/> and <see cref="InitialAdminPassword"/> are set. The host may set it.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>HS256 key, base64, at least 32 bytes. When absent one is generated into DataDirectory.</summary>
    public string? SigningKey { get; set; }

    public string Issuer { get; set; } = DefaultIssuer;

    public string Audience { get; set; } = DefaultAudience;

    public TimeSpan TokenLifetime { get; set; } = DefaultTokenLifetime;

    /// <summary>Tolerance applied to exp and nbf.</summary>
    public TimeSpan ClockSkew { get; set; } = DefaultClockSkew;

    /// <summary>Password for the bootstrapped "admin" user; generated into DataDirectory when absent.</summary>
    public string? InitialAdminPassword { get; set; }

    public UserStoreKind UserStore { get; set; } = UserStoreKind.Sqlite;

    /// <summary>SQLite connection string for the users table (the host passes its storage file).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Failed logins per username+IP within <see cref="FailedLoginWindow"/> before 429.</summary>
    public int MaxFailedLogins { get; set; } = DefaultMaxFailedLogins;

    public TimeSpan FailedLoginWindow { get; set; } = DefaultFailedLoginWindow;

    /// <summary>
    /// Look the user up on every authenticated request and reject the token when the user was
    /// disabled, deleted or had role/scope changed since it was issued.
    /// </summary>
    public bool RecheckUserOnEachRequest { get; set; } = true;
}
