using Daxdi.Domain.Articles;
using Daxdi.Domain.Sites;
using Daxdi.Domain.Taxonomy;
using Daxdi.Infrastructure.Persistence;
using Daxdi.Infrastructure.Persistence.Providers;
using Daxdi.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Daxdi.Tests.Platform;

public sealed class MigrationTests
{
    private static readonly string[] Tables = ["ApiKeys", "Sites"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Contexts => new() { "Sqlite", "SqlServer", "PostgreSql" };

    private static DaxdiDbContext DesignTimeContext(string provider) => provider switch
    {
        "Sqlite" => new SqliteDaxdiDbContext(new DbContextOptionsBuilder<SqliteDaxdiDbContext>()
            .UseSqlite("Data Source=:memory:").Options),
        "SqlServer" => new SqlServerDaxdiDbContext(new DbContextOptionsBuilder<SqlServerDaxdiDbContext>()
            .UseSqlServer("Server=unused;Database=daxdi").Options),
        _ => new PostgreSqlDaxdiDbContext(new DbContextOptionsBuilder<PostgreSqlDaxdiDbContext>()
            .UseNpgsql("Host=unused;Database=daxdi").Options),
    };

    [Theory]
    [MemberData(nameof(Contexts))]
    public void Every_provider_has_migrations_matching_the_model(string provider)
    {
        using var db = DesignTimeContext(provider);

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(),
            $"The {provider} model has changes without a migration. Add one with: dotnet ef migrations add <Name> " +
            $"--context {provider}DaxdiDbContext --output-dir Persistence/Migrations/{provider} " +
            $"--namespace Daxdi.Infrastructure.Persistence.Migrations.{provider} --project src/Daxdi.Infrastructure --startup-project src/Daxdi.Infrastructure");
    }

    [Fact]
    public async Task Migrations_apply_to_a_fresh_sqlite_file()
    {
        await using var api = new ApiFactory(TestStore.Sqlite());
        var ready = await api.Client().GetAsync("/health/ready", Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);

        await using var connection = new SqliteConnection(api.Store.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        var tables = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Superset(Tables.Append("__EFMigrationsHistory").ToHashSet(), tables.ToHashSet());
        using var scope = api.Services.CreateScope();
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<DaxdiDbContext>().Database.GetPendingMigrationsAsync(Ct));
    }

    [Fact]
    public async Task Migrations_apply_to_a_real_postgresql_database()
    {
        await using var api = new ApiFactory(await TestStore.PostgreSqlAsync());
        var ready = await api.Client().GetAsync("/health/ready", Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);

        await using var connection = new NpgsqlConnection(api.Store.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", connection);
        var tables = new HashSet<string>();
        await using (var reader = await command.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Superset(Tables.Append("__EFMigrationsHistory").ToHashSet(), tables);
    }

    [Fact]
    public void The_sql_server_idempotent_script_creates_every_table_behind_history_guards()
    {
        using var db = DesignTimeContext("SqlServer");
        var migrator = db.GetService<IMigrator>();
        var migrations = db.Database.GetMigrations().ToList();

        var script = migrator.GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        foreach (var table in Tables)
        {
            Assert.Contains($"CREATE TABLE [{table}]", script, StringComparison.Ordinal);
        }

        Assert.Contains("IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL", script, StringComparison.Ordinal);
        foreach (var migration in migrations)
        {
            var guard = $"IF NOT EXISTS (\n    SELECT * FROM [__EFMigrationsHistory]\n    WHERE [MigrationId] = N'{migration}'\n)";
            Assert.Contains(guard, script.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        }

        // Each CREATE TABLE of a migration sits behind its own history guard.
        var guards = script.Split("WHERE [MigrationId] = N'").Length - 1;
        var migrationTables = script.Split("CREATE TABLE [").Length - 2; // the history table has its own OBJECT_ID guard
        Assert.True(guards >= migrationTables, $"{guards} guards for {migrationTables} CREATE TABLE statements");
    }

    [Fact]
    public async Task The_sqlite_read_layout_migration_keeps_articles_their_links_and_the_search_index()
    {
        await using var store = TestStore.Sqlite();
        var options = new DbContextOptionsBuilder<SqliteDaxdiDbContext>().UseSqlite(store.ConnectionString).Options;
        var now = new DateTime(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);
        Article[] articles;
        await using (var db = new SqliteDaxdiDbContext(options))
        {
            await db.GetService<IMigrator>().MigrateAsync("20261128050349_Delivery", Ct);
            var site = new Site("layout", "Layout", "layout.example", [], "en", now);
            var tag = new TaxonomyTerm(site.Id, TermKind.Tag, "weather", "Weather", null, null, now);
            articles = [.. new[] { "alpenglow", "zephyrine", "borealis" }.Select(word => new Article(site.Id, new ArticleContent
            {
                Slug = word, Title = $"On {word}", Excerpt = "An excerpt.", Body = "<p>Text.</p>", Language = "en",
                SearchText = $"A long text about {word}.", TagIds = [tag.Id],
            }, "editor", now))];
            db.AddRange(site, tag);
            db.AddRange(articles);
            await db.SaveChangesAsync(Ct);
            // A gap before the remaining rowids, which a rebuild that renumbers rows would shift under the search index.
            await db.Database.ExecuteSqlAsync($"""DELETE FROM "Articles" WHERE rowid = (SELECT min(rowid) FROM "Articles")""", Ct);
        }

        await using (var db = new SqliteDaxdiDbContext(options))
        {
            await db.Database.MigrateAsync(Ct);

            var remaining = await db.Articles.Select(a => a.Id).ToListAsync(Ct);
            Assert.Equal(2, remaining.Count);
            foreach (var article in articles)
            {
                Assert.Equal(remaining.Contains(article.Id) ? [article.Id] : [], await MatchesAsync(db, article.Slug));
            }

            Assert.Equal(2, await db.ArticleTerms.CountAsync(Ct));
            var columns = await db.Database.SqlQuery<string>($"""SELECT name AS "Value" FROM pragma_table_info('Articles')""").ToListAsync(Ct);
            Assert.Equal(["Id", "SiteId", "Status", "DeletedAt", "PublishedAt"], columns.Take(5));
            Assert.Equal(["Body", "MarkdownSource", "SearchText"], columns.TakeLast(3));
            Assert.Empty(await db.Database.SqlQuery<string>($"""SELECT "table" AS "Value" FROM pragma_foreign_key_check""").ToListAsync(Ct));

            // The triggers are back: an edit reaches the index.
            var edited = await db.Articles.FirstAsync(Ct);
            var word = edited.Slug;
            edited.Replace(edited.Content with { Title = "On the aurora", SearchText = "A long text about the aurora." }, "editor", now.AddHours(1));
            await db.SaveChangesAsync(Ct);
            Assert.Equal([edited.Id], await MatchesAsync(db, "aurora"));
            Assert.Empty(await MatchesAsync(db, word));
        }
    }

    [Fact]
    public async Task The_sqlite_list_item_migration_puts_the_list_item_before_the_document_and_leaves_documents_to_be_rendered_again()
    {
        await using var store = TestStore.Sqlite();
        var options = new DbContextOptionsBuilder<SqliteDaxdiDbContext>().UseSqlite(store.ConnectionString).Options;
        var now = new DateTime(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);
        await using (var db = new SqliteDaxdiDbContext(options))
        {
            await db.GetService<IMigrator>().MigrateAsync("20261128093741_PublishedArticleDocuments", Ct);
            var site = new Site("items", "Items", "items.example", [], "en", now);
            var article = new Article(site.Id, new ArticleContent
            {
                Slug = "tide-tables", Title = "Tide tables", Excerpt = "An excerpt.", Body = "<p>Text.</p>", Language = "en", SearchText = "Text.",
            }, "editor", now);
            db.AddRange(site, article);
            await db.SaveChangesAsync(Ct);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "PublishedArticleDocuments" ("ArticleId", "SiteId", "Slug", "Json", "ETag")
                VALUES ({article.Id}, {site.Id}, 'tide-tables', X'7B7D', '"old"')
                """, Ct);
        }

        await using (var db = new SqliteDaxdiDbContext(options))
        {
            await db.Database.MigrateAsync(Ct);

            var columns = await db.Database.SqlQuery<string>($"""SELECT name AS "Value" FROM pragma_table_info('PublishedArticleDocuments')""").ToListAsync(Ct);
            Assert.Equal(["ArticleId", "SiteId", "Slug", "ETag", "Summary", "Json"], columns);
            Assert.Equal(0, await db.PublishedArticleDocuments.CountAsync(Ct));
        }
    }

    [Fact]
    public async Task The_author_key_migration_binds_each_key_to_the_one_profile_its_slug_names_and_leaves_ambiguous_ones_unbound()
    {
        await using var store = TestStore.Sqlite();
        var options = new DbContextOptionsBuilder<SqliteDaxdiDbContext>().UseSqlite(store.ConnectionString).Options;
        var now = new DateTime(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);
        var one = new Site("one", "One", "one.example", [], "en", now);
        var two = new Site("two", "Two", "two.example", [], "en", now);
        var jane = new TaxonomyTerm(one.Id, TermKind.Author, "jane", "Jane", null, null, now);
        (Guid Id, string Slug)[] keys = [(Guid.NewGuid(), "jane"), (Guid.NewGuid(), "sam"), (Guid.NewGuid(), "nobody")];
        await using (var db = new SqliteDaxdiDbContext(options))
        {
            await db.GetService<IMigrator>().MigrateAsync("20261128120024_PublishedArticleSummaries", Ct);
            db.AddRange(one, two, jane,
                new TaxonomyTerm(one.Id, TermKind.Author, "sam", "Sam", null, null, now),
                new TaxonomyTerm(two.Id, TermKind.Author, "sam", "Sam", null, null, now));
            await db.SaveChangesAsync(Ct);
            foreach (var (id, slug) in keys)
            {
                var hash = id.ToByteArray().Concat(id.ToByteArray()).ToArray();
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "ApiKeys" ("Id", "Name", "Role", "Prefix", "SecretHash", "AuthorSlug", "CreatedAt", "UpdatedAt", "Version")
                    VALUES ({id}, 'old author key', 'Author', 'dx_old', {hash}, {slug}, {now}, {now}, 1)
                    """, Ct);
            }
        }

        await using (var db = new SqliteDaxdiDbContext(options))
        {
            await db.Database.MigrateAsync(Ct);

            var bound = await db.ApiKeys.AsNoTracking().ToDictionaryAsync(k => k.Id, k => (k.SiteId, k.AuthorId), Ct);
            Assert.Equal((one.Id, jane.Id), bound[keys[0].Id]);
            Assert.Equal((null, null), bound[keys[1].Id]);
            Assert.Equal((null, null), bound[keys[2].Id]);
        }
    }

    private static Task<List<Guid>> MatchesAsync(DaxdiDbContext db, string word) =>
        db.Database.SqlQuery<Guid>($"""
            SELECT a."Id" AS "Value" FROM "ArticleSearch" JOIN "Articles" AS a ON a.rowid = "ArticleSearch".rowid
            WHERE "ArticleSearch" MATCH {word}
            """).ToListAsync(Ct);
}
