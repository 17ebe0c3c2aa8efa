using System.Diagnostics;

namespace Daxdi.Tests.Support;

/// <summary>
/// A real file system that fills up: a tmpfs of a few megabytes, mounted for one test and grown on demand. Needs the
/// right to mount (root in the test container); <see cref="TryMount"/> answers null where it is missing.
/// </summary>
public sealed class SmallFileSystem : IDisposable
{
    private SmallFileSystem(string path) => Path = path;

    public string Path { get; }

    public static SmallFileSystem? TryMount(int megabytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "daxdi-tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        if (Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path))
        {
            return new SmallFileSystem(path);
        }

        Directory.Delete(path);
        return null;
    }

    public void Resize(int megabytes) => Assert.True(Run("mount", "-o", $"remount,size={megabytes}m", Path), "remount failed");

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static bool Run(string program, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
