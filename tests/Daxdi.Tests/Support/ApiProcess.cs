using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Daxdi.Tests.Support;

/// <summary>The real API executable on Kestrel (127.0.0.1), as a user runs it, with its output collected.</summary>
public sealed class ApiProcess : IDisposable
{
    private ApiProcess(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) => { lock (Output) { Output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (Errors) { Errors.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public StringBuilder Output { get; } = new();

    public StringBuilder Errors { get; } = new();

    /// <summary>Starts the API in Production on a SQLite file in <paramref name="dataFolder"/>; settings as environment variables.</summary>
    public static ApiProcess Start(string dataFolder, int port, params (string Name, string Value)[] environment) =>
        Start(dataFolder, port, AppContext.BaseDirectory, environment);

    /// <summary>Like <see cref="Start(string, int, ValueTuple{string, string}[])"/>, from another working directory.</summary>
    public static ApiProcess Start(string dataFolder, int port, string workingDirectory, params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, "Daxdi.Api.dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["ConnectionStrings__Daxdi"] = $"Data Source={Path.Combine(dataFolder, "daxdi.db")}";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return new ApiProcess(Process.Start(info)!);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>GETs <paramref name="path"/> once the process listens (for up to a minute, while it runs).</summary>
    public static async Task<HttpResponseMessage> WaitForAsync(HttpClient http, string path, ApiProcess host)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                return await http.GetAsync(path, TestContext.Current.CancellationToken);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !host.Process.HasExited)
            {
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }
        }
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }

        Process.Dispose();
    }
}

/// <summary>A temporary folder, deleted with its files on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "daxdi-host-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
