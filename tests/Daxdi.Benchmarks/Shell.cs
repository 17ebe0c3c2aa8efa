using System.Diagnostics;

namespace Daxdi.Benchmarks;

/// <summary>Commands the benchmark runs: the Release build of the API, and what the report says about the machine.</summary>
internal static class Shell
{
    /// <summary>Builds the API in Release and returns its output folder, or <c>null</c> (after printing why) when the build fails.</summary>
    public static async Task<string?> BuildApiAsync(string root)
    {
        Console.WriteLine("Building the API (Release) ...");
        var build = await RunAsync("dotnet", ["build", "-c", "Release", "src/Daxdi.Api/Daxdi.Api.csproj", "--nologo", "-v", "q", "--disable-build-servers"], root);
        if (build.ExitCode != 0)
        {
            await Console.Error.WriteLineAsync(build.Output);
            return null;
        }

        return Path.Combine(root, "src", "Daxdi.Api", "bin", "Release", "net10.0");
    }

    /// <summary>
    /// The data folder and an emptied SQLite store named <paramref name="fileName"/> in it, for a mode that starts the API
    /// on a new database.
    /// </summary>
    public static (string DataDir, string File) FreshStore(string root, string fileName)
    {
        var dataDir = Path.Combine(root, "tests", "Daxdi.Benchmarks", "data");
        Directory.CreateDirectory(dataDir);
        var file = Path.Combine(dataDir, fileName);
        foreach (var path in Ingest.StoreFiles(file))
        {
            File.Delete(path);
        }

        return (dataDir, file);
    }

    public static async Task<string> MachineAsync(string root) =>
        $"{(await RunAsync("nproc", [], root)).Output.Trim()} cores (nproc), {Cpu.Model()}, .NET SDK {(await RunAsync("dotnet", ["--version"], root)).Output.Trim()}";

    public static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, string workingDirectory)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }
}
