namespace Daxdi.Domain.Common;

/// <summary>What kind of rule a request broke; the API maps each kind to one HTTP status.</summary>
public enum ErrorKind
{
    /// <summary>The resource does not exist (or must not be visible to the caller).</summary>
    NotFound,

    /// <summary>The request conflicts with existing state, e.g. a duplicate key.</summary>
    Conflict,

    /// <summary>The caller's <c>If-Match</c> version is stale.</summary>
    PreconditionFailed,

    /// <summary>The operation needs an <c>If-Match</c> version and none was sent.</summary>
    PreconditionRequired,

    /// <summary>The request is valid but the current state forbids it.</summary>
    InvalidState,

    /// <summary>The caller is authenticated but this action is not theirs to take.</summary>
    Forbidden,

    /// <summary>The request breaks a rule of its content that field validation cannot see (e.g. a body too deeply nested).</summary>
    Invalid,
}

/// <summary>
/// A broken business rule. <see cref="Code"/> is a stable machine-readable identifier
/// (e.g. <c>site.key_taken</c>) that clients may switch on; the message is for humans.
/// </summary>
public sealed class DomainException(ErrorKind kind, string code, string message) : Exception(message)
{
    public ErrorKind Kind { get; } = kind;

    public string Code { get; } = code;

    public static DomainException NotFound(string code, string message) => new(ErrorKind.NotFound, code, message);

    public static DomainException Conflict(string code, string message) => new(ErrorKind.Conflict, code, message);

    public static DomainException InvalidState(string code, string message) => new(ErrorKind.InvalidState, code, message);

    public static DomainException Forbidden(string code, string message) => new(ErrorKind.Forbidden, code, message);

    public static DomainException Invalid(string code, string message) => new(ErrorKind.Invalid, code, message);

    public static DomainException StaleVersion() =>
        new(ErrorKind.PreconditionFailed, "request.version_mismatch",
            "The resource was changed since you read it. Fetch it again and retry with the new ETag.");

    public static DomainException VersionRequired() =>
        new(ErrorKind.PreconditionRequired, "request.if_match_required",
            "This operation requires an If-Match header with the resource's current ETag.");
}
