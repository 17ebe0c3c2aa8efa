using System.Diagnostics;
using System.Net;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Platform;

/// <summary>
/// The TypeScript client generated from docs/openapi.json (tests/client, built by .ci/run) calls the real API on
/// Kestrel and checks the answers against its types. Skipped unless <c>DAXDI_TS_CLIENT</c> names the built client.
/// </summary>
public sealed class TypeScriptClientTests
{
    public const string ClientVariable = "DAXDI_TS_CLIENT";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_generated_client_reads_public_content_and_drives_the_admin_api()
    {
        var client = Environment.GetEnvironmentVariable(ClientVariable);
        Assert.SkipWhen(string.IsNullOrWhiteSpace(client),
            $"The TypeScript client is not built: run 'npm ci && npm run build' in tests/client and set {ClientVariable} to that folder (bash .ci/run does).");
        var program = Path.Combine(client!, "dist", "check.js");
        Assert.True(File.Exists(program), $"{program} is missing: build tests/client first.");

        using var store = new TempFolder();
        var port = ApiProcess.FreePort();
        using var host = ApiProcess.Start(store.Path, port, ("Bootstrap__AdminApiKey", ApiFactory.AdminKey), ("Seed__DemoContent", "true"));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var ready = await ApiProcess.WaitForAsync(http, "/health/ready", host);
        Assert.True(ready.StatusCode == HttpStatusCode.OK, $"The API did not start: {host.Errors}");

        var info = new ProcessStartInfo("node", [program])
        {
            WorkingDirectory = client!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["DAXDI_URL"] = http.BaseAddress.ToString().TrimEnd('/');
        info.Environment["DAXDI_ADMIN_KEY"] = ApiFactory.AdminKey;
        using var node = Process.Start(info)!;
        var output = node.StandardOutput.ReadToEndAsync(Ct);
        var errors = node.StandardError.ReadToEndAsync(Ct);
        await node.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromMinutes(2), Ct);

        Assert.True(node.ExitCode == 0, $"The TypeScript client failed (exit {node.ExitCode}): {await errors}{await output}");
        Assert.Contains("checks passed", await output, StringComparison.Ordinal);
    }
}
