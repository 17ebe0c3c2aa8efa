using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Daxdi.Tests.Support;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Daxdi.Tests.Platform;

/// <summary>JWT bearer from an OIDC authority maps a role claim onto the same roles as API keys.</summary>
public sealed class JwtBearerTests : IAsyncLifetime
{
    private const string Issuer = "https://login.daxdi.test/";
    private const string Audience = "daxdi-api";
    private static readonly RsaSecurityKey SigningKey = new(RSA.Create(2048)) { KeyId = "test-key" };
    private ApiFactory _api = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _api = new ApiFactory(TestStore.Sqlite(), ("Auth:Jwt:Authority", Issuer), ("Auth:Jwt:Audience", Audience))
        {
            // The authority's discovery document is replaced by a locally trusted key: no network in tests.
            TestServices = services => services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
            {
                var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
                configuration.SigningKeys.Add(SigningKey);
                o.Configuration = configuration;
                o.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
            }),
        };
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    private static string Token(string? role, string audience = Audience, DateTime? expires = null, SecurityKey? key = null,
        Dictionary<string, object>? extra = null)
    {
        var claims = new Dictionary<string, object>(extra ?? []) { ["sub"] = "user-1" };
        if (role is not null)
        {
            claims["role"] = role;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = claims,
            Expires = expires ?? DateTime.UtcNow.AddMinutes(5),
            NotBefore = DateTime.UtcNow.AddMinutes(-1),
            IssuedAt = DateTime.UtcNow.AddMinutes(-1),
            SigningCredentials = new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }

    [Fact]
    public async Task A_token_with_the_admin_role_is_admitted()
    {
        var response = await _api.Client(Token("admin")).GetAsync("/api/v1/admin/sites", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("editor")]
    [InlineData("superuser")]
    [InlineData(null)]
    public async Task A_token_whose_role_is_not_admitted_gets_403(string? role)
    {
        var response = await _api.Client(Token(role)).GetAsync("/api/v1/admin/sites", Ct);

        await Problem.AssertAsync(response, HttpStatusCode.Forbidden, "auth.forbidden");
    }

    [Fact]
    public async Task A_token_for_another_audience_gets_401()
    {
        var response = await _api.Client(Token("admin", audience: "someone-else")).GetAsync("/api/v1/admin/sites", Ct);

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "auth.unauthenticated");
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_token_gets_401()
    {
        var expired = Token("admin", expires: DateTime.UtcNow.AddMinutes(-10));

        var response = await _api.Client(expired).GetAsync("/api/v1/admin/sites", Ct);

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "auth.unauthenticated");
    }

    [Fact]
    public async Task A_token_signed_by_an_unknown_key_gets_401()
    {
        var forged = Token("admin", key: new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key" });

        var response = await _api.Client(forged).GetAsync("/api/v1/admin/sites", Ct);

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "auth.unauthenticated");
    }

    [Fact]
    public async Task An_author_token_acts_in_the_site_its_claims_name_and_nowhere_else()
    {
        var admin = _api.Admin();
        foreach (var site in new[] { "jwt-home", "jwt-away" })
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/admin/sites",
                new { key = site, name = "S", domain = "s.example", defaultLanguage = "en" }, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync($"/api/v1/admin/sites/{site}/authors", new { name = "Jane Doe" }, Ct)).StatusCode);
        }

        var author = _api.Client(Token("author", extra: new() { ["daxdi_site"] = "jwt-home", ["daxdi_author"] = "jane-doe" }));
        var unbound = _api.Client(Token("author", extra: new() { ["daxdi_author"] = "jane-doe" }));

        Assert.Equal(HttpStatusCode.OK, (await author.GetAsync("/api/v1/admin/sites/jwt-home/articles", Ct)).StatusCode);
        await Problem.AssertAsync(await author.GetAsync("/api/v1/admin/sites/jwt-away/articles", Ct), HttpStatusCode.Forbidden, "auth.other_site");
        await Problem.AssertAsync(await unbound.GetAsync("/api/v1/admin/sites/jwt-home/articles", Ct), HttpStatusCode.Forbidden, "auth.author_unbound");
    }

    [Fact]
    public async Task Api_keys_keep_working_beside_jwt()
    {
        var response = await _api.Admin().GetAsync("/api/v1/admin/sites", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
