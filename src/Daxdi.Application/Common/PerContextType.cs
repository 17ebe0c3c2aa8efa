using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Common;

/// <summary>
/// One <typeparamref name="T"/> per context type, for holders of compiled queries: EF binds a compiled query to the
/// model of the context it first runs on, and each store has its own context type and model.
/// </summary>
/// <remarks>
/// A compiled query skips what EF does for every LINQ query before it can find the cached translation: walking the
/// expression tree to pull out parameters, then hashing and comparing it. On the write path that cost more than
/// SQLite's part of the queries (docs/performance.md, archive ingest).
/// </remarks>
internal static class PerContextType<T> where T : class, new()
{
    private static readonly ConcurrentDictionary<Type, T> Instances = new();

    public static T For(DbContext context) => Instances.GetOrAdd(context.GetType(), _ => new T());
}
