using System.Xml.Linq;

namespace Daxdi.Benchmarks;

/// <summary>
/// A harness run as one test result in Visual Studio's TRX format, so .ci/run counts it with the test projects'
/// results (it sums the TRX files' counters) and a failed harness is a failed test.
/// </summary>
internal static class Trx
{
    private static readonly XNamespace Ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    public static async Task WriteAsync(string file, string testName, bool passed, TimeSpan duration, string output)
    {
        var (testId, executionId) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var outcome = passed ? "Passed" : "Failed";
        var document = new XDocument(new XElement(Ns + "TestRun", new XAttribute("id", Guid.NewGuid()), new XAttribute("name", testName),
            new XElement(Ns + "Results", new XElement(Ns + "UnitTestResult",
                new XAttribute("executionId", executionId), new XAttribute("testId", testId), new XAttribute("testName", testName),
                new XAttribute("computerName", Environment.MachineName), new XAttribute("duration", duration.ToString("c")),
                new XAttribute("outcome", outcome), new XAttribute("testType", "13cdc9d9-ddb5-4fa4-a97d-d965ccfc6d4b"),
                new XElement(Ns + "Output", new XElement(Ns + "StdOut", output)))),
            new XElement(Ns + "ResultSummary", new XAttribute("outcome", passed ? "Completed" : "Failed"),
                new XElement(Ns + "Counters", new XAttribute("total", 1), new XAttribute("executed", 1),
                    new XAttribute("passed", passed ? 1 : 0), new XAttribute("failed", passed ? 0 : 1)))));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await using var stream = File.Create(file);
        await document.SaveAsync(stream, SaveOptions.None, CancellationToken.None);
    }
}
