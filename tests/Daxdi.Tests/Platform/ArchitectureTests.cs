using System.Reflection;

namespace Daxdi.Tests.Platform;

/// <summary>Layers point inward only: Api -> Application -> Domain; Infrastructure implements Application's ports.</summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Domain = typeof(Daxdi.Domain.Sites.Site).Assembly;
    private static readonly Assembly Application = typeof(Daxdi.Application.DependencyInjection).Assembly;
    private static readonly Assembly Infrastructure = typeof(Daxdi.Infrastructure.DependencyInjection).Assembly;
    private static readonly Assembly Api = typeof(Program).Assembly;

    private static string[] DaxdiReferences(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Daxdi.", StringComparison.Ordinal)).Order()];

    [Fact]
    public void Domain_references_no_other_layer() => Assert.Empty(DaxdiReferences(Domain));

    [Fact]
    public void Domain_depends_on_no_framework_beyond_the_base_library()
    {
        var external = Domain.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => !n.StartsWith("System", StringComparison.Ordinal) && n != "netstandard");
        Assert.Empty(external);
    }

    [Fact]
    public void Application_references_only_the_domain() => Assert.Equal(["Daxdi.Domain"], DaxdiReferences(Application));

    [Fact]
    public void Infrastructure_references_application_and_domain_but_not_the_api()
    {
        var references = DaxdiReferences(Infrastructure);
        Assert.DoesNotContain("Daxdi.Api", references);
        Assert.Contains("Daxdi.Application", references);
    }

    [Fact]
    public void Application_does_not_reference_store_providers_or_aspnetcore()
    {
        var references = Application.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(references, n => n.Contains("Sqlite", StringComparison.Ordinal)
            || n.Contains("SqlServer", StringComparison.Ordinal) || n.Contains("Npgsql", StringComparison.Ordinal)
            || n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_the_api_references_the_mediator_source_generator_output()
    {
        // The generated Mediator implementation lives in the Api assembly only.
        Assert.NotNull(Api.GetType("Mediator.Mediator"));
        Assert.Null(Application.GetType("Mediator.Mediator"));
    }
}
