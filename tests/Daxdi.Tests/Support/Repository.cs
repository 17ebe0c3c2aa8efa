namespace Daxdi.Tests.Support;

public static class Repository
{
    /// <summary>The checkout's root folder (where Daxdi.sln is).</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Daxdi.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Daxdi.sln not found above " + AppContext.BaseDirectory);
    }
}
