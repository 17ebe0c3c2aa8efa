using System.Diagnostics;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Daxdi.Application.Behaviors;

/// <summary>
/// Logs each message with its handling time: commands at Information, queries and <see cref="Common.IRoutineCommand"/>s
/// at Debug (public reads are the hot path, and background jobs' routine commands would flood the log). Message
/// contents are never logged (they may hold secrets).
/// </summary>
public sealed partial class LoggingBehavior<TMessage, TResponse>(ILogger<LoggingBehavior<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private static readonly string MessageName = typeof(TMessage).Name;

    private static readonly LogLevel Level =
        typeof(IBaseCommand).IsAssignableFrom(typeof(TMessage)) && !typeof(Common.IRoutineCommand).IsAssignableFrom(typeof(TMessage))
            ? LogLevel.Information
            : LogLevel.Debug;

    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogHandled(Level, MessageName, elapsed);
            return response;
        }
        catch (Exception e)
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var error = e.GetType().Name;
            LogFailed(Level, MessageName, elapsed, error);
            throw;
        }
    }

    [LoggerMessage(Message = "Handled {Message} in {ElapsedMs:0.0} ms")]
    private partial void LogHandled(LogLevel level, string message, double elapsedMs);

    [LoggerMessage(Message = "{Message} failed after {ElapsedMs:0.0} ms with {Error}")]
    private partial void LogFailed(LogLevel level, string message, double elapsedMs, string error);
}
