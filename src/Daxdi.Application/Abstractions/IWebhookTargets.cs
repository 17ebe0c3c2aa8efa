namespace Daxdi.Application.Abstractions;

/// <summary>Why a webhook URL is refused: a stable problem code and words for the admin.</summary>
public sealed record WebhookTargetRefusal(string Code, string Message);

/// <summary>
/// The SSRF guard at subscription time: whether a URL may receive webhooks. The dispatcher checks the address it
/// connects to again at send time, so a name that resolves elsewhere later (DNS rebinding) is refused then.
/// </summary>
public interface IWebhookTargets
{
    /// <summary>Null when the URL may be used; otherwise why not.</summary>
    Task<WebhookTargetRefusal?> CheckAsync(Uri url, CancellationToken cancellationToken);
}
