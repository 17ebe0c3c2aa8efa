using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Fuzz;

/// <summary>
/// Drives the API from its own OpenAPI document: learns real values by calling its list operations, then sends
/// seeded valid and hostile requests to every operation and collects every response that breaks
/// <see cref="ResponseChecks"/>. Nothing here names an operation: a new one in the document is fuzzed as it is.
/// </summary>
public sealed class SpecFuzzer : IAsyncDisposable
{
    public const string SeedVariable = "DAXDI_FUZZ_SEED";
    public const int DefaultSeed = 20261128;
    private const int ExamplesPerGroup = 2;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private static readonly string[] Roles = ["admin", "admin", "admin", "editor", "editor", "author", "compliance", "finance"];

    private readonly HttpClient _http;
    private readonly Dictionary<string, string> _keys = [];
    private readonly HashSet<string> _protected = [];
    private readonly Dictionary<(string Kind, string Signature), FailureGroup> _failures = [];
    private ApiDocument _document = null!;
    private ValuePool _pool = null!;
    private Generator _generator = null!;
    private string? _revokedKey;

    private SpecFuzzer(int seed, ApiFactory api)
    {
        Seed = seed;
        Api = api;
        _http = api.Client();
    }

    public int Seed { get; }

    public ApiFactory Api { get; }

    public ApiDocument Document => _document;

    /// <summary>Every secret the run created or was shown: API keys, and any response value named like a secret.</summary>
    public HashSet<string> Secrets { get; } = [ApiFactory.AdminKey];

    public int Sent { get; private set; }

    /// <summary>How many requests carried a mutation that the contract must refuse (bad body, type, credential, If-Match).</summary>
    public int MustRefuseSent { get; private set; }
    /// <summary>The request that took longest, for the run's output (deep nesting and search are the usual ones).</summary>
    public (TimeSpan Time, string Request) Slowest { get; private set; }

    public Dictionary<string, int> PerOperation { get; } = [];

    /// <summary>Statuses answered per operation, to show how deep the requests got (2xx reached the handlers).</summary>
    public Dictionary<string, SortedDictionary<int, int>> Statuses { get; } = [];

    public int FailureCount => _failures.Values.Sum(f => f.Count);

    public static int SeedFromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), CultureInfo.InvariantCulture, out var seed) ? seed : DefaultSeed;

    /// <summary>A fresh SQLite host with demo content, a key per role and rate limits high enough for the run.</summary>
    public static async Task<SpecFuzzer> StartAsync(int seed)
    {
        var api = new ApiFactory(TestStore.Sqlite(), ("Seed:DemoContent", "true"), ("RateLimits:Admin:PermitLimit", "1000000"),
            ("Webhooks:AllowedPrivateNetworks:0", "127.0.0.0/8"), ("Webhooks:DispatcherEnabled", "false"));
        var fuzzer = new SpecFuzzer(seed, api);
        await fuzzer.InitializeAsync();
        return fuzzer;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task InitializeAsync()
    {
        _document = new ApiDocument(await OpenApiContract.LoadAsync(_http, Ct));
        var names = _document.Operations.SelectMany(o => o.Parameters).Select(p => p.Name);
        _pool = new ValuePool(names, _protected);
        _generator = new Generator(_document, new Random(Seed), _pool);

        _keys["admin"] = ApiFactory.AdminKey;
        var author = await _http.SendAsync(Authorized(HttpMethod.Get, "/api/v1/admin/sites/daxdi/authors?limit=1"), Ct);
        var authorSlug = (await author.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items")[0].GetProperty("slug").GetString();
        foreach (var role in new[] { "editor", "author", "compliance", "finance" })
        {
            _keys[role] = (await CreateKeyAsync(role, role == "author" ? authorSlug : null)).Secret;
        }

        var keys = await _http.SendAsync(Authorized(HttpMethod.Get, "/api/v1/admin/api-keys?limit=100"), Ct);
        foreach (var key in (await keys.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").EnumerateArray())
        {
            _protected.Add(key.GetProperty("id").GetString()!);
        }

        // A webhook subscription, so the crawl finds one and its operations are fuzzed on a real subscription (loopback
        // is allowed on this host, and it sends nothing); its secret joins those the logs must never show.
        var webhook = Authorized(HttpMethod.Post, "/api/v1/admin/sites/daxdi/webhooks");
        webhook.Content = JsonContent.Create(new { url = "https://127.0.0.1:9/fuzz", events = new[] { "article.published" } });
        var subscription = await _http.SendAsync(webhook, Ct);
        subscription.EnsureSuccessStatusCode();
        Secrets.Add((await subscription.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("secret").GetString()!);

        var revoked = await CreateKeyAsync("editor", null);
        (await _http.SendAsync(Authorized(HttpMethod.Delete, $"/api/v1/admin/api-keys/{revoked.Id}"), Ct)).EnsureSuccessStatusCode();
        _revokedKey = revoked.Secret;
    }

    private async Task<(string Id, string Secret)> CreateKeyAsync(string role, string? authorSlug)
    {
        var request = Authorized(HttpMethod.Post, "/api/v1/admin/api-keys");
        request.Content = JsonContent.Create(new { name = $"fuzz {role}", role, site = authorSlug is null ? null : "daxdi", authorSlug });
        var response = await _http.SendAsync(request, Ct);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var secret = body.GetProperty("key").GetString()!;
        Secrets.Add(secret);
        return (body.GetProperty("id").GetString()!, secret);
    }

    private static HttpRequestMessage Authorized(HttpMethod method, string url) =>
        new(method, url) { Headers = { { "Authorization", $"Bearer {ApiFactory.AdminKey}" } } };

    /// <summary>
    /// Calls every GET operation with the values known so far and learns from the answers; a list whose items
    /// lead to a child path (<c>/sites</c> to <c>/sites/{site}</c>) is probed for the item property that names them.
    /// </summary>
    public async Task CrawlAsync(int passes)
    {
        var reads = _document.Operations.Where(o => o.Method == "GET").ToList();
        for (var pass = 0; pass < passes; pass++)
        {
            foreach (var operation in reads)
            {
                foreach (var values in Combinations(operation, 6))
                {
                    var request = Build(operation, values, "crawl");
                    var (status, body, _) = await SendAsync(request);
                    if (status / 100 == 2 && body is { } list && list.ValueKind == JsonValueKind.Object
                        && list.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
                    {
                        await ProbeChildrenAsync(operation, values, items);
                    }
                }
            }
        }
    }

    private async Task ProbeChildrenAsync(ApiOperation list, IReadOnlyDictionary<string, string> values, JsonElement items)
    {
        var child = _document.Operations.FirstOrDefault(o => o.Method == "GET" && o.Segments.Length == list.Segments.Length + 1
            && o.Path.StartsWith(list.Path + "/{", StringComparison.Ordinal));
        var first = items.EnumerateArray().FirstOrDefault();
        if (child is null || first.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var name = child.Segments[^1].Trim('{', '}');
        foreach (var property in first.EnumerateObject().Where(p => p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number))
        {
            var candidate = new Dictionary<string, string>(values) { [name] = ValuePool.Text(property.Value) };
            var (status, _, _) = await SendAsync(Build(child, candidate, "crawl"));
            if (status / 100 != 2)
            {
                continue;
            }

            foreach (var item in items.EnumerateArray())
            {
                if (item.TryGetProperty(property.Name, out var value))
                {
                    _pool.Bind(child.Path, new Dictionary<string, string>(values) { [name] = ValuePool.Text(value) });
                }
            }

            return;
        }
    }

    /// <summary>Path values for an operation: bindings that answered 2xx first, then values by parameter name.</summary>
    private List<IReadOnlyDictionary<string, string>> Combinations(ApiOperation operation, int count)
    {
        var names = operation.In("path").Select(p => p.Name).ToList();
        if (names.Count == 0)
        {
            return [new Dictionary<string, string>()];
        }

        var known = _pool.BindingsFor(operation.Path, names);
        var result = known.OrderBy(_ => _generator.Random.Next()).Take(count).ToList();
        if (names.All(n => _pool.Values(n).Count > 0))
        {
            while (result.Count < count)
            {
                result.Add(names.ToDictionary(n => n, n => _generator.Pick(_pool.Values(n))));
            }
        }

        return result;
    }

    /// <summary>
    /// Sends about <paramref name="requests"/> generated requests, spread evenly over every operation, in
    /// <paramref name="rounds"/> rounds (deletes last in each), learning again between rounds as the data changes.
    /// </summary>
    public async Task FuzzAsync(int requests, int rounds)
    {
        var perRound = (int)Math.Ceiling(requests / (double)_document.Operations.Count / rounds);
        var order = _document.Operations.OrderBy(o => o.Method == "DELETE").ToList();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var operation in order)
            {
                for (var i = 0; i < perRound; i++)
                {
                    await SendAsync(await GenerateAsync(operation));
                }
            }

            await CrawlAsync(1);
        }
    }

    private async Task<FuzzRequest> GenerateAsync(ApiOperation operation)
    {
        var g = _generator;
        var values = Combinations(operation, 1).FirstOrDefault();
        var mutations = new List<string>();
        if (values is null || g.Chance(0.7))
        {
            var kinds = MutationKinds(operation);
            mutations.Add(g.Pick(kinds));
            if (g.Chance(0.15))
            {
                mutations.Add(g.Pick(kinds));
            }
        }

        var request = Build(operation, values, mutations.Count == 0 ? "valid" : string.Join('+', mutations.Distinct()));
        if (operation.In("header").Any(h => h.Name == "If-Match") && !mutations.Contains("header") && values is not null && g.Chance(0.85))
        {
            var etag = await FreshETagAsync(operation, values);
            request.Headers.RemoveAll(h => h.Name == "If-Match");
            if (etag is not null)
            {
                request.Headers.Add(("If-Match", etag));
            }
        }

        foreach (var mutation in mutations.Distinct())
        {
            Mutate(request, mutation, values);
        }

        return request;
    }

    private static List<string> MutationKinds(ApiOperation operation)
    {
        var kinds = new List<string> { "accept", "client-address" };
        if (operation.In("path").Any())
        {
            kinds.AddRange(["path", "path"]);
        }

        if (operation.In("query").Any())
        {
            kinds.AddRange(["query", "query", "query"]);
        }

        kinds.Add("extra-query");
        if (operation.In("header").Any())
        {
            kinds.AddRange(["header", "header"]);
        }

        if (operation.BodySchema is not null)
        {
            kinds.AddRange(["body", "body", "body", "body", "content-type"]);
        }
        else
        {
            kinds.Add("unexpected-body");
        }

        if (operation.Secured)
        {
            kinds.Add("auth");
        }

        return kinds;
    }

    private FuzzRequest Build(ApiOperation operation, IReadOnlyDictionary<string, string>? values, string mode)
    {
        var g = _generator;
        var request = new FuzzRequest(operation, mode) { PathValues = values };
        var path = operation.Path;
        foreach (var parameter in operation.In("path"))
        {
            var value = values?.GetValueOrDefault(parameter.Name) ?? g.ValidParameter(parameter);
            path = path.Replace("{" + parameter.Name + "}", Generator.Encode(value), StringComparison.Ordinal);
        }

        var query = operation.In("query")
            .Where(p => p.Required || (mode != "crawl" && g.Chance(0.3)))
            .Select(p => $"{Generator.Encode(p.Name)}={Generator.Encode(g.ValidParameter(p))}");
        request.PathAndQuery = path + (query.Any() ? "?" + string.Join('&', query) : "");

        foreach (var header in operation.In("header").Where(h => h.Required || g.Chance(0.5)))
        {
            request.Headers.Add((header.Name, g.ValidParameter(header)));
        }

        if (operation.Secured)
        {
            request.Role = mode == "crawl" ? "admin" : g.Pick(Roles);
            request.Authorization = $"Bearer {_keys[request.Role]}";
        }

        if (operation.BodySchema is not null && (operation.BodyRequired || g.Chance(0.7)))
        {
            request.Body = Generator.Serialize(g.Valid(operation.BodySchema));
            request.ContentType = "application/json";
        }

        return request;
    }

    private void Mutate(FuzzRequest request, string mutation, IReadOnlyDictionary<string, string>? values)
    {
        var g = _generator;
        var operation = request.Operation;
        switch (mutation)
        {
            case "path":
                var parameter = g.Pick(operation.In("path").ToList());
                var hostile = g.Chance(0.5) ? g.Pick(Hostile.Encoded) : Generator.Encode(g.InvalidParameter(parameter));
                // The test host, like Kestrel (which answers 400 itself), refuses NUL in a path before the app runs.
                hostile = hostile.Replace("%00", "%01", StringComparison.Ordinal);
                if (hostile.Trim('.').Length == 0)
                {
                    hostile += "%2F"; // a bare dot segment would be resolved away by the client (see Hostile.Encoded)
                }

                var path = operation.Path;
                foreach (var p in operation.In("path"))
                {
                    var value = p == parameter ? hostile : Generator.Encode(values?.GetValueOrDefault(p.Name) ?? g.ValidParameter(p));
                    path = path.Replace("{" + p.Name + "}", value, StringComparison.Ordinal);
                }

                var queryAt = request.PathAndQuery.IndexOf('?', StringComparison.Ordinal);
                request.PathAndQuery = path + (queryAt >= 0 ? request.PathAndQuery[queryAt..] : "");
                request.PathValues = null;
                request.Mode += $"({parameter.Name})";
                break;
            case "query":
                var queryParameter = g.Pick(operation.In("query").ToList());
                var raw = g.Chance(0.25) ? g.Pick(Hostile.Encoded) : Generator.Encode(g.InvalidParameter(queryParameter));
                AppendQuery(request, $"{Generator.Encode(queryParameter.Name)}={raw}");
                if (g.Chance(0.2))
                {
                    AppendQuery(request, $"{Generator.Encode(queryParameter.Name)}={Generator.Encode(g.ValidParameter(queryParameter))}");
                }

                request.Mode += $"({queryParameter.Name})";
                break;
            case "extra-query":
                AppendQuery(request, g.Pick(["unknown=1", "limit[]=1", "%00=1", "=", "&&&", "a=%ZZ", "fields=" + Hostile.Repeat("x,", 500)]));
                break;
            case "header":
                var header = g.Pick(operation.In("header").ToList());
                request.Headers.RemoveAll(h => h.Name == header.Name);
                var sent = g.Chance(0.85) ? header.Name == "If-Match" ? g.Pick(Hostile.IfMatch) : g.Pick(Hostile.Strings) : null;
                if (sent is not null)
                {
                    request.Headers.Add((header.Name, sent));
                }

                // ETags are quoted version numbers: none of these match, and "*" or nothing counts as absent.
                if (header.Name == "If-Match" && (header.Required || sent is not (null or "*")))
                {
                    request.MustRefuse ??= $"If-Match {sent ?? "(none)"}";
                }

                request.Mode += $"({header.Name})";
                break;
            case "accept":
                request.Headers.Add(("Accept", g.Pick(Hostile.Accepts)));
                break;
            case "client-address":
                // A full client address must never reach the logs; these give the log scan something to find.
                request.Headers.Add((g.Pick(["X-Forwarded-For", "X-Real-IP", "Forwarded"]), g.Pick(["203.0.113.77", "2001:db8::77", "for=203.0.113.77"])));
                break;
            case "content-type":
                request.ContentType = g.Chance(0.15) ? null : g.Pick(Hostile.ContentTypes);
                request.ContentTypeChosen = true;
                request.Body ??= "{}";
                request.Mode += $"({request.ContentType ?? "none"})";
                if (!IsDeclaredJson(operation, request.ContentType))
                {
                    request.MustRefuse ??= $"Content-Type {request.ContentType ?? "(none)"}";
                }
                break;
            case "unexpected-body":
                request.Body = g.Pick(["{}", "{\"unexpected\":true}", "[]", "null", "x"]);
                request.ContentType = g.Pick(["application/json", "text/plain"]);
                break;
            case "auth":
                request.Role = null;
                request.Authorization = g.Chance(0.2) ? null : g.Chance(0.2) ? $"Bearer {_revokedKey}" : g.Pick(Hostile.Authorizations);
                if (request.Authorization?.Contains(_revokedKey!, StringComparison.Ordinal) == true)
                {
                    request.Role = "revoked";
                }

                request.MustRefuse ??= $"credential {request.Authorization ?? "(none)"}";

                break;
            case "body":
                var (kind, body, refuse) = BodyMutations.Apply(g, _document, operation, request.Body);
                request.Body = body;
                if (!request.ContentTypeChosen)
                {
                    request.ContentType ??= "application/json";
                }

                request.MustRefuse ??= refuse;
                request.Mode += $"({kind})";
                break;
        }
    }

    /// <summary>Bodies must be exactly a declared media type, in UTF-8.</summary>
    private static bool IsDeclaredJson(ApiOperation operation, string? contentType) =>
        System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type)
        && operation.Contract.RequestBody?.Content.ContainsKey(type.MediaType!) == true
        && (type.CharSet is null || type.CharSet.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    private static void AppendQuery(FuzzRequest request, string pair) =>
        request.PathAndQuery += (request.PathAndQuery.Contains('?', StringComparison.Ordinal) ? "&" : "?") + pair;

    /// <summary>The current ETag, read from the longest GET path that the operation's path extends and that has one.</summary>
    private async Task<string?> FreshETagAsync(ApiOperation operation, IReadOnlyDictionary<string, string> values)
    {
        var reads = _document.Operations
            .Where(o => o.Method == "GET" && (operation.Path + "/").StartsWith(o.Path + "/", StringComparison.Ordinal)
                && o.In("path").All(p => values.ContainsKey(p.Name)))
            .OrderByDescending(o => o.Path.Length);
        foreach (var read in reads)
        {
            var request = Build(read, values, "etag");
            request.PathAndQuery = request.PathAndQuery.Split('?')[0];
            request.Role = read.Secured ? "admin" : null;
            request.Authorization = read.Secured ? $"Bearer {_keys["admin"]}" : null;
            request.Headers.Clear();
            if ((await SendAsync(request)).ETag is { } etag)
            {
                return etag;
            }
        }

        return null;
    }

    private async Task<(int Status, JsonElement? Body, string? ETag)> SendAsync(FuzzRequest request)
    {
        var operation = request.Operation;
        Sent++;
        MustRefuseSent += request.MustRefuse is null ? 0 : 1;
        PerOperation[operation.Id] = PerOperation.GetValueOrDefault(operation.Id) + 1;
        var uri = new Uri(_http.BaseAddress!, request.PathAndQuery);
        request.PathAndQuery = uri.PathAndQuery;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), uri);
        if (request.Authorization is not null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", request.Authorization);
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.Body));
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(RequestTimeout);
        HttpResponseMessage response;
        string text;
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            response = await _http.SendAsync(message, timeout.Token);
            text = await response.Content.ReadAsStringAsync(timeout.Token);
            if (clock.Elapsed > Slowest.Time)
            {
                Slowest = (clock.Elapsed, $"{operation} [{request.Mode}]\n{request.Describe()}");
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            Record(request, "no answer within 30 s", "timeout", null, "");
            return (0, null, null);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or IOException)
        {
            Record(request, "request failed in the host", e.GetType().Name + ": " + e.Message, null, "");
            return (0, null, null);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var statuses = Statuses.TryGetValue(operation.Id, out var known) ? known : Statuses[operation.Id] = [];
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            foreach (var (kind, detail) in ResponseChecks.Check(request, response, text, _document.Contract))
            {
                Record(request, kind, detail, response, text);
            }

            var body = Parse(text);
            if (status / 100 == 2)
            {
                Learn(request, response, body);
            }

            return (status, body, response.Headers.ETag?.ToString());
        }
    }

    private void Learn(FuzzRequest request, HttpResponseMessage response, JsonElement? body)
    {
        if (body is { } json)
        {
            _pool.Learn(json);
            CollectSecrets(json);
        }

        foreach (var header in response.Headers.Where(h => h.Key.Contains("secret", StringComparison.OrdinalIgnoreCase)))
        {
            Secrets.UnionWith(header.Value);
        }

        if (request.PathValues is { } values)
        {
            if (request.Method == "DELETE")
            {
                _pool.Forget(values);
            }
            else
            {
                _pool.Bind(request.Operation.Path, values);
            }
        }

        if (response.Headers.Location is { } location)
        {
            BindLocation(location.OriginalString.Split('?')[0]);
        }
    }

    /// <summary>A <c>Location</c> names a new resource: its path values are known-good for the matching template.</summary>
    private void BindLocation(string location)
    {
        var segments = location.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var operation in _document.Operations.Where(o => o.Segments.Length == segments.Length))
        {
            var values = new Dictionary<string, string>();
            var matches = operation.Segments.Zip(segments).All(pair =>
            {
                if (pair.First.StartsWith('{'))
                {
                    values[pair.First.Trim('{', '}')] = Uri.UnescapeDataString(pair.Second);
                    return true;
                }

                return pair.First == pair.Second;
            });
            if (matches)
            {
                _pool.Bind(operation.Path, values);
                return;
            }
        }
    }

    private void CollectSecrets(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                CollectSecrets(item);
            }
        }
        else if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                // API keys ("key": "dx_…") are found by their shape; a site's "key" is not a secret.
                if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: >= 16 } value
                    && (property.Name.Contains("secret", StringComparison.OrdinalIgnoreCase) || property.Name.Contains("token", StringComparison.OrdinalIgnoreCase)))
                {
                    Secrets.Add(value);
                }

                CollectSecrets(property.Value);
            }
        }
    }

    private static JsonElement? Parse(string text)
    {
        try
        {
            if (text.Length == 0)
            {
                return null;
            }

            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void Record(FuzzRequest request, string kind, string detail, HttpResponseMessage? response, string body)
    {
        // A broken contract has one cause whatever was sent, so it groups by what is wrong; a failure that a kind of
        // input provokes groups by the mutations of the request (a known defect then stays one group).
        var signature = ResponseChecks.IsContractKind(kind)
            ? Regex.Replace(detail, @"\d+", "#")
            : "requests [" + string.Join('+', Regex.Replace(request.Mode, @"\([^)]*\)", "").Split('+').Distinct().Order(StringComparer.Ordinal)) + "]";
        var key = (kind, signature);
        var group = _failures.TryGetValue(key, out var existing) ? existing : _failures[key] = new FailureGroup();
        group.Count++;
        group.PerOperation[request.Operation.Id] = group.PerOperation.GetValueOrDefault(request.Operation.Id) + 1;
        if (group.Examples.Count < ExamplesPerGroup && group.PerOperation[request.Operation.Id] == 1)
        {
            var answer = response is null
                ? "(no response)"
                : $"{(int)response.StatusCode} {response.Content.Headers.ContentType}\n{Regex.Replace(FuzzRequest.Truncate(body), "dx_[A-Za-z0-9]{40,}", "dx_…(secret)")}";
            group.Examples.Add($"  {request.Operation} [{request.Mode}] {detail}\n{Indent(request.Describe())}  -> {Indent(answer).TrimStart()}");
        }
    }

    private static string Indent(string text) =>
        string.Join('\n', text.TrimEnd('\n').Split('\n').Select(l => "    " + l)) + "\n";

    /// <summary>
    /// All failures of the run, grouped by kind and cause, with the operations affected and replayable example requests.
    /// </summary>
    public string Report()
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"Spec fuzz: seed {Seed} ({SeedVariable}), {Sent} requests ({MustRefuseSent} that must be refused), {_document.Operations.Count} operations, ");
        text.Append(CultureInfo.InvariantCulture, $"{FailureCount} failing responses in {_failures.Count} groups.\n");
        foreach (var ((kind, signature), group) in _failures.OrderBy(f => f.Key.Kind, StringComparer.Ordinal)
            .ThenBy(f => f.Key.Signature, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{kind} x{group.Count}: {signature}\n  in ");
            text.AppendJoin(", ", group.PerOperation.OrderByDescending(o => o.Value).Select(o => $"{o.Key} x{o.Value}")).Append('\n');
            foreach (var example in group.Examples)
            {
                text.Append(example);
            }
        }

        return text.ToString();
    }

    private sealed class FailureGroup
    {
        public int Count { get; set; }

        public Dictionary<string, int> PerOperation { get; } = [];

        public List<string> Examples { get; } = [];
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Api.DisposeAsync();
    }
}
