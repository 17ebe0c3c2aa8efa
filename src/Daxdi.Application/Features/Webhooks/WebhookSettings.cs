namespace Daxdi.Application.Features.Webhooks;

/// <summary>What the webhook use cases take from the <c>Webhooks</c> configuration section (bound by the infrastructure).</summary>
/// <param name="SecretOverlapHours">How long the previous secret keeps signing after a rotation when the request names no overlap.</param>
public sealed record WebhookSettings(int SecretOverlapHours);
