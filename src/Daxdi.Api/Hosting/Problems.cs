using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Daxdi.Api.Hosting;

/// <summary>The one error shape of the API: RFC 9457 problem details with <c>code</c> and <c>traceId</c>.</summary>
public static class Problems
{
    public static void AddDaxdiProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            if (!problem.Extensions.TryGetValue("code", out var code) || code is not string)
            {
                code = ProblemCodes.ForStatus(status);
                problem.Extensions["code"] = code;
            }

            problem.Type = ProblemCodes.TypeUri((string)code);
            problem.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
        });
        AnswerEveryAcceptHeader(services);
    }

    /// <summary>Writes a problem response; for code paths outside endpoints (auth, rate limiting, middleware).</summary>
    public static async Task WriteAsync(HttpContext http, int status, string code, string title, string detail)
    {
        http.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["code"] = code;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }

    /// <summary>
    /// The framework's problem writer declines when <c>Accept</c> names no JSON type, and the error then becomes an
    /// empty 500 (or a rethrown exception). An API has one error format: it is sent whatever the client accepts,
    /// as RFC 9110 allows when no acceptable representation exists.
    /// </summary>
    private static void AnswerEveryAcceptHeader(IServiceCollection services)
    {
        var writer = services.Single(d => d.ServiceType == typeof(IProblemDetailsWriter) && d.ImplementationType is not null);
        services.Remove(writer);
        services.AddSingleton<IProblemDetailsWriter>(sp =>
            new AlwaysWriteProblems((IProblemDetailsWriter)ActivatorUtilities.CreateInstance(sp, writer.ImplementationType!)));
    }

    private sealed class AlwaysWriteProblems(IProblemDetailsWriter inner) : IProblemDetailsWriter
    {
        public bool CanWrite(ProblemDetailsContext context) => true;

        public ValueTask WriteAsync(ProblemDetailsContext context) => inner.WriteAsync(context);
    }
}
