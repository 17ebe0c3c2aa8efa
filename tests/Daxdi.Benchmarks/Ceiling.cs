using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Daxdi.Benchmarks;

/// <summary>
/// The ceiling: the least an ASP.NET Core app can do per request (Kestrel, routing, a fixed 1 KB JSON body). Loaded
/// with the same wrk settings on the same machine, its requests/s is what the API's numbers are a share of.
/// </summary>
internal static class Ceiling
{
    public const string Command = "ceiling";

    public static readonly byte[] Body = MakeBody(1024);

    public static async Task RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/", () => Results.Bytes(Body, "application/json; charset=utf-8"));
        await app.RunAsync();
    }

    private static byte[] MakeBody(int size)
    {
        const string Start = "{\"id\":\"0196a3c4-0000-7000-8000-000000000000\",\"title\":\"Ceiling\",\"text\":\"";
        const string End = "\"}";
        return Encoding.UTF8.GetBytes(Start + new string('x', size - Start.Length - End.Length) + End);
    }
}
