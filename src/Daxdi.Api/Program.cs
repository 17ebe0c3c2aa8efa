using Daxdi.Api.Endpoints;
using Daxdi.Api.Hosting;
using Daxdi.Api.Hosting.Auth;
using Daxdi.Api.Hosting.Delivery;
using Daxdi.Api.Hosting.OpenApi;
using Daxdi.Application;
using Daxdi.Application.Behaviors;
using Daxdi.Application.Common;
using Daxdi.Infrastructure;
using Daxdi.Api.Hosting.Consent;
using Daxdi.Infrastructure.Startup;
using Microsoft.Extensions.Options;

try
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = HostPaths.ContentRoot(args) });
    var apiOptions = StartupOptions.Read<ApiOptions>(builder.Configuration, ApiOptions.Section);
    var deliveryOptions = StartupOptions.Read<DeliveryOptions>(builder.Configuration, DeliveryOptions.Section);

    builder.WebHost.ConfigureKestrel(k =>
    {
        k.Limits.MaxRequestBodySize = apiOptions.MaxRequestBodyBytes;
        k.AddServerHeader = false;
    });
    builder.Services.AddSingleton(apiOptions);
    builder.Services.AddDaxdiDelivery(deliveryOptions);
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddApplication();
    builder.Services.AddInfrastructure(builder.Configuration);
    builder.Services.AddMediator(o =>
    {
        o.ServiceLifetime = ServiceLifetime.Scoped;
        o.Assemblies = [typeof(Daxdi.Application.DependencyInjection)];
        o.PipelineBehaviors = [typeof(LoggingBehavior<,>), typeof(ValidationBehavior<,>), typeof(IdempotencyBehavior<,>), typeof(CommitBehavior<,>)];
    });

    builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
    // Swashbuckle describes schemas with MVC's JSON options; keep them identical to what the endpoints use.
    builder.Services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => ApiJson.Configure(o.JsonSerializerOptions));
    builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
    builder.Services.AddDaxdiProblemDetails();
    builder.Services.AddExceptionHandler<ApiExceptionHandler>();
    builder.Services.AddDaxdiTransportSecurity(builder.Configuration);
    builder.Services.AddDaxdiAuth(builder.Configuration);
    builder.Services.AddDaxdiRateLimiting(builder.Configuration);
    builder.Services.AddDaxdiLoadShedding(builder.Configuration);
    builder.Services.AddSingleton(new ConsentClients(StartupOptions.Read<ConsentRequestOptions>(builder.Configuration, ConsentRequestOptions.Section)));
    builder.Services.AddDaxdiOpenApi();

    var app = builder.Build();

    await using (var scope = app.Services.CreateAsyncScope())
    {
        var result = await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>()
            .InitializeAsync(generateAdminKeyIfMissing: app.Environment.IsDevelopment(), app.Lifetime.ApplicationStopping);
        StartupBanner.Register(app, result);
    }

    app.UseDaxdiTransportSecurity();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseSwagger(o => o.OpenApiVersion = Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_1);
    app.UseSwaggerUI(o =>
    {
        o.SwaggerEndpoint(SwaggerSetup.DocumentPath, "Daxdi API v1");
        o.RoutePrefix = "swagger";
        o.DocumentTitle = "Daxdi API";
    });
    app.UseRouting();
    app.UseMiddleware<RequestBodyMiddleware>();
    app.UseCors();
    app.UseOutputCache();
    app.UseMiddleware<LoadSheddingMiddleware>();
    app.UseAuthentication();
    app.UseAuthorization();
    app.UseRateLimiter();

    HealthEndpoints.Map(app);
    DeliveryEndpoints.Map(app, deliveryOptions);
    ConsentPoliciesEndpoints.MapPublic(app, deliveryOptions);
    var admin = app.MapGroup("/api/v1/admin").RequireAdminByDefault().RequireRateLimiting(RateLimiting.AdminPolicy);
    ApiKeysEndpoints.Map(admin);
    SitesEndpoints.Map(admin);
    TaxonomyEndpoints.Map(admin);
    ArticlesEndpoints.Map(admin);
    ImportEndpoints.Map(admin);
    WebhooksEndpoints.Map(admin);
    ConsentPoliciesEndpoints.Map(admin);
    ConsentEndpoints.Map(app, admin);
    PaymentsEndpoints.Map(app, admin);
    ConsentKeysEndpoints.Map(app, admin);

    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    await Console.Error.WriteLineAsync($"Daxdi cannot start: invalid configuration. {string.Join(" ", e.Failures)}");
    return 1;
}
catch (StoreStartupException e)
{
    await Console.Error.WriteLineAsync($"Daxdi cannot start: {e.Message}");
    return 1;
}

/// <summary>The API host; public for <c>WebApplicationFactory</c> in tests.</summary>
public partial class Program;
