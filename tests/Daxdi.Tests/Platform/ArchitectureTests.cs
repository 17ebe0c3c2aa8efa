using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Daxdi.Application.Abstractions;

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

    [Fact]
    public void Application_never_works_on_the_concrete_context()
    {
        // A cast to DbContext, or a query compiled against it, names the type; the port is all the Application may see.
        Assert.DoesNotContain("Microsoft.EntityFrameworkCore.DbContext", TypeReferences(Application));
    }

    [Fact]
    public void Application_compiles_no_queries()
    {
        // Compiled queries are bound to a store's model: they belong to the context in Infrastructure.
        Assert.DoesNotContain(MemberReferences(Application),
            m => m.Type == "Microsoft.EntityFrameworkCore.EF" && m.Member.StartsWith("Compile", StringComparison.Ordinal));
    }

    [Fact]
    public void Application_writes_no_full_text_engine_syntax()
    {
        // Operators of SQLite FTS5 (AND, NOT, NEAR) and of PostgreSQL tsquery (followed-by, prefix, negation). The
        // Application parses a search into SearchQuery; each store's IArticleSearch renders it for its own engine.
        string[] operators = [" AND ", " NOT ", "NEAR(", "<->", ":*", "!(", "tsquery"];
        var found = UserStrings(Application).Where(s => operators.Any(o => s.Contains(o, StringComparison.Ordinal))).ToList();
        Assert.Empty(found);
    }

    [Fact]
    public void Api_does_not_query_the_store()
    {
        // The Api reaches the store only through the Application (handlers, services such as PublicCache and AuthorReach).
        string[] store =
        [
            "Daxdi.Application.Abstractions.IDaxdiDbContext", "Microsoft.EntityFrameworkCore.DbContext",
            "Microsoft.EntityFrameworkCore.DbSet`1", "Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade",
            "Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions", "Microsoft.EntityFrameworkCore.RelationalQueryableExtensions",
        ];
        Assert.Empty(TypeReferences(Api).Intersect(store));
    }

    [Fact]
    public void Stored_documents_are_written_below_the_api_and_not_with_its_http_options()
    {
        var writers = new[] { Application, Infrastructure, Api }.SelectMany(a => a.GetTypes())
            .Where(t => t.IsClass && typeof(IPublicJson).IsAssignableFrom(t)).ToList();

        Assert.NotEmpty(writers);
        Assert.DoesNotContain(writers, t => t.Assembly == Api);
        Assert.DoesNotContain(writers, t => t.GetConstructors().SelectMany(c => c.GetParameters())
            .Any(p => p.ParameterType.ToString().Contains("Microsoft.AspNetCore.Http.Json.JsonOptions", StringComparison.Ordinal)));
    }

    private static readonly Dictionary<Assembly, (HashSet<string> Types, List<(string Type, string Member)> Members, List<string> Strings)> Metadata = [];

    /// <summary>The full names of the types the assembly's code refers to in other assemblies.</summary>
    private static HashSet<string> TypeReferences(Assembly assembly) => Read(assembly).Types;

    /// <summary>The methods and fields of other assemblies' types that the assembly's code calls or reads.</summary>
    private static List<(string Type, string Member)> MemberReferences(Assembly assembly) => Read(assembly).Members;

    /// <summary>Every string literal in the assembly's code.</summary>
    private static List<string> UserStrings(Assembly assembly) => Read(assembly).Strings;

    private static (HashSet<string> Types, List<(string Type, string Member)> Members, List<string> Strings) Read(Assembly assembly)
    {
        lock (Metadata)
        {
            if (Metadata.TryGetValue(assembly, out var known))
            {
                return known;
            }

            using var pe = new PEReader(File.OpenRead(assembly.Location));
            var reader = pe.GetMetadataReader();
            string NameOf(TypeReferenceHandle handle)
            {
                var type = reader.GetTypeReference(handle);
                var ns = reader.GetString(type.Namespace);
                return ns.Length == 0 ? reader.GetString(type.Name) : $"{ns}.{reader.GetString(type.Name)}";
            }

            var types = reader.TypeReferences.Select(NameOf).ToHashSet();
            var members = reader.MemberReferences.Select(reader.GetMemberReference)
                .Where(m => m.Parent.Kind == HandleKind.TypeReference)
                .Select(m => (NameOf((TypeReferenceHandle)m.Parent), reader.GetString(m.Name))).ToList();
            var strings = new List<string>();
            // The heap starts with an empty entry at offset 0; a nil handle follows the last string.
            for (var handle = MetadataTokens.UserStringHandle(1); !handle.IsNil && reader.GetHeapSize(HeapIndex.UserString) > 1;
                handle = reader.GetNextHandle(handle))
            {
                strings.Add(reader.GetUserString(handle));
            }

            return Metadata[assembly] = (types, members, strings);
        }
    }
}
