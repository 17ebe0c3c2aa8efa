using Mediator;

namespace Daxdi.Application.Common;

/// <summary>
/// A command a background job sends for every item on every run, changing nothing most of the time (the chain
/// monitor's observation of each watched intent every 30 s). <c>LoggingBehavior</c> logs it at Debug rather than
/// Information, which would be a line per intent per poll; the job logs what did change, and the failures.
/// </summary>
public interface IRoutineCommand : IBaseCommand;
