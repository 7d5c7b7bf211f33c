using System.Security.Cryptography;
using GridGov.Realtime.Silo.Auth;
using GridGov.Realtime.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Silo.Tests.Auth;

public class JwtValidatorTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private readonly FakeTimeProvider _time = new();
    private readonly JwtValidator _validator;
    private readonly JwtIssuer _issuer;

    public JwtValidatorTests()
    {
        var options = Options.Create(new AuthOptions { SigningKey = Convert.ToBase64String(Key), ClockSkew = TimeSpan.FromSeconds(30) });
        var keys = new SigningKeyProvider(options, NullLogger<SigningKeyProvider>.Instance);
        _validator = new JwtValidator(keys, options, _time);
        _issuer = new JwtIssuer(keys, options, _time);
    }

    private static UserAccount User(string role = Roles.GridWorker, string scope = "310104001") =>
        new("worker", "hash", role, RegionScope.Parse(scope), false, default, default);

    [Fact]
    public void Issued_token_round_trips()
    {
        var (token, expires) = _issuer.Issue(User());
        var result = _validator.Validate(token);
        Assert.Null(result.Error);
        Assert.Equal(new TokenClaims("worker", Roles.GridWorker, RegionScope.Parse("310104001"), expires), result.Claims);
        Assert.Equal(_time.GetUtcNow() + AuthOptions.DefaultTokenLifetime, expires);
    }

    [Fact]
    public void Expiry_is_checked_with_clock_skew()
    {
        var (token, _) = _issuer.Issue(User());
        _time.Advance(AuthOptions.DefaultTokenLifetime + TimeSpan.FromSeconds(29));
        Assert.Null(_validator.Validate(token).Error);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("The token expired", _validator.Validate(token).Error);
    }

    [Fact]
    public void Not_before_is_checked_with_clock_skew()
    {
        var now = _time.GetUtcNow();
        Assert.Null(_validator.Validate(TestTokens.Sign(Key, TestTokens.Header, TestTokens.Payload(now, notBefore: TimeSpan.FromSeconds(20)))).Error);
        Assert.Equal("The token is not yet valid",
            _validator.Validate(TestTokens.Sign(Key, TestTokens.Header, TestTokens.Payload(now, notBefore: TimeSpan.FromMinutes(2)))).Error);
    }

    [Fact]
    public void Wrong_signature_is_rejected()
    {
        var token = TestTokens.Sign(RandomNumberGenerator.GetBytes(32), TestTokens.Header, TestTokens.Payload(_time.GetUtcNow()));
        Assert.Equal("The token signature is invalid", _validator.Validate(token).Error);
    }

    [Theory]
    [InlineData("""{"alg":"none","typ":"JWT"}""")]
    [InlineData("""{"alg":"None"}""")]
    [InlineData("""{"alg":"HS512","typ":"JWT"}""")]
    [InlineData("""{"alg":"RS256","typ":"JWT"}""")]
    [InlineData("""{"alg":"hs256","typ":"JWT"}""")]
    [InlineData("""{"typ":"JWT"}""")]
    public void Other_algorithms_are_rejected_even_when_signed(string header)
    {
        var payload = TestTokens.Payload(_time.GetUtcNow());
        Assert.Equal("The token algorithm is not accepted", _validator.Validate(TestTokens.Sign(Key, header, payload)).Error);
        Assert.Equal("The token algorithm is not accepted", _validator.Validate($"{TestTokens.B64(header)}.{TestTokens.B64(payload)}.").Error);
    }

    [Fact]
    public void Critical_header_and_duplicate_alg_are_rejected()
    {
        var payload = TestTokens.Payload(_time.GetUtcNow());
        Assert.NotNull(_validator.Validate(TestTokens.Sign(Key, """{"alg":"HS256","crit":["x"],"x":1}""", payload)).Error);
        Assert.NotNull(_validator.Validate(TestTokens.Sign(Key, """{"alg":"none","alg":"HS256"}""", payload)).Error);
    }

    [Fact]
    public void Tampered_payload_is_rejected()
    {
        var (token, _) = _issuer.Issue(User());
        var parts = token.Split('.');
        var forged = TestTokens.Payload(_time.GetUtcNow(), sub: "worker", role: Roles.Admin, scope: "");
        Assert.Equal("The token signature is invalid", _validator.Validate($"{parts[0]}.{TestTokens.B64(forged)}.{parts[2]}").Error);
    }

    [Theory]
    [InlineData("\"someone-else\"", "\"gridgov-realtime\"", "The token issuer is not accepted")]
    [InlineData("\"gridgov-realtime\"", "\"other-api\"", "The token audience is not accepted")]
    [InlineData("\"gridgov-realtime\"", "[\"other-api\"]", "The token audience is not accepted")]
    [InlineData("\"gridgov-realtime\"", "[\"other-api\",\"gridgov-realtime\"]", null)]
    [InlineData("\"gridgov-realtime\"", "42", "The token audience is not accepted")]
    public void Issuer_and_audience_must_match(string iss, string aud, string? expected)
    {
        var token = TestTokens.Sign(Key, TestTokens.Header, TestTokens.Payload(_time.GetUtcNow(), iss: iss, aud: aud));
        Assert.Equal(expected, _validator.Validate(token).Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30=.sig")]
    [InlineData("!!.??.**")]
    public void Malformed_tokens_are_rejected(string token) => Assert.NotNull(_validator.Validate(token).Error);

    [Fact]
    public void Unknown_role_or_bad_scope_is_rejected_even_when_signed()
    {
        var now = _time.GetUtcNow();
        Assert.Equal("The token claims are invalid", _validator.Validate(TestTokens.Sign(Key, TestTokens.Header, TestTokens.Payload(now, role: "root"))).Error);
        Assert.Equal("The token claims are invalid", _validator.Validate(TestTokens.Sign(Key, TestTokens.Header, TestTokens.Payload(now, scope: "31x"))).Error);
    }

    [Fact]
    public void Missing_expiry_is_rejected()
    {
        const string payload = """{"iss":"gridgov-realtime","aud":"gridgov-realtime","sub":"admin","role":"admin","region_scope":""}""";
        Assert.Equal("The token has no valid expiry", _validator.Validate(TestTokens.Sign(Key, TestTokens.Header, payload)).Error);
    }
}
