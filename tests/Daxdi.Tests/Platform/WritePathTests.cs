using System.Reflection;
using System.Runtime.CompilerServices;

namespace Daxdi.Tests.Platform;

/// <summary>
/// No write commits outside the commit pipeline: the only code that calls the store's saving and set-based writing
/// methods is the pipeline and what it runs, plus a short list of writes that are not content (each with its reason).
/// A new <c>SaveChangesAsync</c> or <c>ExecuteUpdateAsync</c> anywhere else fails here.
/// </summary>
public sealed class WritePathTests
{
    private static readonly string[] Writes =
    [
        "SaveChanges", "SaveChangesAsync", "BeginTransaction", "BeginTransactionAsync", "ExecuteUpdate", "ExecuteUpdateAsync",
        "ExecuteDelete", "ExecuteDeleteAsync", "ExecuteSqlRaw", "ExecuteSqlRawAsync", "ExecuteSqlInterpolatedAsync", "ExecuteSqlAsync",
    ];

    /// <summary>Who may write to the store directly, and why.</summary>
    private static readonly Dictionary<string, string> Allowed = new()
    {
        ["Daxdi.Application.Common.CommitPipeline"] = "the pipeline itself: locks, enlisted statements, the save and the commit",
        ["Daxdi.Application.Features.Delivery.PublishedDocuments"] = "run by the pipeline's documents participant, inside the commit's transaction",
        ["Daxdi.Application.Features.Sites.DeleteSiteHandler"] = "set-based deletes enlisted through CommitPipeline.InTransaction",
        ["Daxdi.Application.Features.Articles.PruneRevisionsHandler"] = "set-based deletes enlisted through CommitPipeline.InTransaction",
        ["Daxdi.Application.Common.Idempotency.PurgeIdempotencyKeysHandler"] = "a set-based delete of expired keys enlisted through CommitPipeline.InTransaction",
        ["Daxdi.Application.Features.WebhookDispatch.FanOutEventsHandler"] = "the conditional claim of each event, enlisted through CommitPipeline.InTransaction",
        ["Daxdi.Application.Features.WebhookDispatch.ClaimDeliveriesHandler"] = "the conditional claims of due attempts, enlisted through CommitPipeline.InTransaction",
        ["Daxdi.Application.Features.WebhookDispatch.FailDisabledDeliveriesHandler"] = "a set-based update enlisted through CommitPipeline.InTransaction",
        ["Daxdi.Application.Features.WebhookDispatch.PruneWebhookHistoryHandler"] = "set-based deletes enlisted through CommitPipeline.InTransaction",
        ["Daxdi.Application.Security.ApiKeyAuthenticator"] = "lastUsedAt of a key, at most once a minute: usage metadata, no event, no document",
        ["Daxdi.Infrastructure.Leases.StoreLeases"] = "a lease row (which node polls the chain) taken with one conditional statement: coordination, no business data, no event",
        ["Daxdi.Infrastructure.Persistence.StoreProbe"] = "a probe written in a transaction that is always rolled back",
        ["Daxdi.Infrastructure.Persistence.SqliteStatisticsService"] = "PRAGMA optimize: query planner statistics, no data",
    };

    [Fact]
    public void Only_the_commit_pipeline_and_the_listed_exceptions_write_to_the_store()
    {
        Assembly[] assemblies =
        [
            typeof(Daxdi.Application.DependencyInjection).Assembly,
            typeof(Daxdi.Infrastructure.DependencyInjection).Assembly,
            typeof(Program).Assembly,
        ];
        var writers = assemblies.SelectMany(a => a.GetTypes())
            .Where(t => t.Namespace?.Contains(".Migrations", StringComparison.Ordinal) != true)
            .SelectMany(t => t.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Cast<MethodBase>().Concat(t.GetConstructors(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)))
            .Where(m => Calls(m).Any(c => Writes.Contains(c.Name) && IsStoreMethod(c)))
            .Select(m => OuterType(m.DeclaringType!).FullName!)
            .Distinct().Order().ToList();

        Assert.Empty(writers.Except(Allowed.Keys));
    }

    [Fact]
    public void The_scan_sees_writes_inside_async_methods_and_lambdas()
    {
        // The pipeline's writes are all in async state machines and lambdas: if the scan missed those, it would find none.
        var pipeline = typeof(Daxdi.Application.Common.CommitPipeline);
        var nested = pipeline.GetNestedTypes(BindingFlags.NonPublic).SelectMany(t => t.GetMethods(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly));
        Assert.Contains(nested, m => Calls(m).Any(c => c.Name == "SaveChangesAsync"));
    }

    private static bool IsStoreMethod(MethodBase method) =>
        method.DeclaringType?.Namespace?.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) == true
        || method.DeclaringType?.Namespace?.StartsWith("Daxdi", StringComparison.Ordinal) == true && method.DeclaringType.Name.Contains("DbContext", StringComparison.Ordinal);

    private static Type OuterType(Type type) =>
        type.DeclaringType is { } outer && (type.IsDefined(typeof(CompilerGeneratedAttribute)) || type.Name.StartsWith('<')) ? OuterType(outer) : type;

    /// <summary>The methods a method body calls (call, callvirt, newobj and ldftn tokens), read from its IL.</summary>
    private static IEnumerable<MethodBase> Calls(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException)
        {
            yield break;
        }

        if (il is null)
        {
            yield break;
        }

        for (var i = 0; i + 4 < il.Length; i++)
        {
            // call, callvirt, newobj; ldftn is 0xFE 0x06.
            if (il[i] is not (0x28 or 0x6F or 0x73) && !(il[i] == 0x06 && i > 0 && il[i - 1] == 0xFE))
            {
                continue;
            }

            var token = BitConverter.ToInt32(il, i + 1);
            if ((token >> 24) is not (0x0A or 0x06 or 0x2B))
            {
                continue;
            }

            MethodBase? called;
            try
            {
                called = method.Module.ResolveMethod(token, method.DeclaringType?.GetGenericArguments(),
                    method.IsGenericMethod ? method.GetGenericArguments() : null);
            }
            catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException)
            {
                continue;
            }

            if (called is not null)
            {
                yield return called;
            }
        }
    }
}
