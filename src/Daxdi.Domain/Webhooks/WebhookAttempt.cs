namespace Daxdi.Domain.Webhooks;

/// <summary>One HTTP attempt of a delivery, as the delivery log shows it. Never changed once written.</summary>
public sealed class WebhookAttempt
{
    /// <summary>Response bodies are kept up to this many characters.</summary>
    public const int ResponseBodyMaxLength = 1024;

    /// <summary>Error descriptions are kept up to this many characters.</summary>
    public const int ErrorMaxLength = 500;

    private WebhookAttempt()
    {
    }

    public WebhookAttempt(WebhookDelivery delivery, int number, DateTime startedAt, int durationMs, int? statusCode, string? responseBody, string? error)
    {
        Id = Guid.CreateVersion7(new DateTimeOffset(startedAt, TimeSpan.Zero));
        DeliveryId = delivery.Id;
        SubscriptionId = delivery.SubscriptionId;
        Number = number;
        StartedAt = startedAt;
        DurationMs = durationMs;
        StatusCode = statusCode;
        ResponseBody = Truncate(responseBody, ResponseBodyMaxLength);
        Error = Truncate(error, ErrorMaxLength);
    }

    public Guid Id { get; private set; }

    public Guid DeliveryId { get; private set; }

    public Guid SubscriptionId { get; private set; }

    /// <summary>1 for the first attempt of the delivery.</summary>
    public int Number { get; private set; }

    public DateTime StartedAt { get; private set; }

    public int DurationMs { get; private set; }

    /// <summary>The receiver's status code; null when no response came (timeout, refused connection, refused address).</summary>
    public int? StatusCode { get; private set; }

    /// <summary>The start of the receiver's response body.</summary>
    public string? ResponseBody { get; private set; }

    /// <summary>What went wrong without a response, in words; never the secret or the signature.</summary>
    public string? Error { get; private set; }

    private static string? Truncate(string? value, int max) => value is { Length: > 0 } && value.Length > max ? value[..max] : value;
}
