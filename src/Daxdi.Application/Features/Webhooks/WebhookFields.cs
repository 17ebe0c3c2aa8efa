using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Events;
using Daxdi.Domain.Common;
using Daxdi.Domain.Webhooks;
using FluentValidation;

namespace Daxdi.Application.Features.Webhooks;

/// <summary>What an admin sets on a subscription: the body of <c>POST …/webhooks</c> and <c>PUT …/webhooks/{id}</c>.</summary>
public sealed record WebhookFields
{
    /// <summary>
    /// Where to POST the events: an absolute https URL (http only in Development), without user name or password, whose
    /// host resolves to public addresses only.
    /// </summary>
    /// <example>https://hooks.example/daxdi</example>
    public required string Url { get; init; }

    /// <summary>The event types to send, by name (see the <c>webhooks</c> of this document). <c>webhook.ping</c> is sent on request only.</summary>
    /// <example>["article.published", "article.updated"]</example>
    public required IReadOnlyList<string> Events { get; init; }

    /// <summary>What the subscription is for.</summary>
    /// <example>Search index of the main site</example>
    public string? Description { get; init; }

    /// <summary>Whether to send events to it (default <c>true</c>, also on replace). Enabling a disabled subscription clears why it was disabled.</summary>
    /// <example>true</example>
    public bool Enabled { get; init; } = true;
}

public sealed class WebhookFieldsValidator : AbstractValidator<WebhookFields>
{
    public WebhookFieldsValidator()
    {
        RuleFor(x => x.Url).NotEmpty().MaximumLength(WebhookRules.UrlMaxLength).SingleLine()
            .Must(IsAbsolute).WithMessage("'url' must be an absolute URL such as https://hooks.example/daxdi.");
        RuleFor(x => x.Events).NotEmpty().WithMessage("'events' must name at least one event type.")
            .Must(e => e.Distinct(StringComparer.Ordinal).Count() == e.Count).WithMessage("'events' must not name a type twice.");
        RuleForEach(x => x.Events).NotEmpty().MaximumLength(WebhookRules.EventTypeMaxLength);
        RuleFor(x => x.Description).MaximumLength(WebhookRules.DescriptionMaxLength);
    }

    /// <summary>A URL that names its scheme; on Unix <see cref="Uri"/> also reads a bare path (<c>/hooks</c>) as an absolute file URL.</summary>
    private static bool IsAbsolute(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && url.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The checks that name their own problem code: every event type is one a subscription may have (400
    /// <c>webhook.unknown_event_type</c>), and, when <paramref name="checkUrl"/>, the SSRF guard admits the URL (400 with
    /// its <c>webhook.url_…</c> code).
    /// </summary>
    internal static async Task CheckAsync(WebhookFields fields, IWebhookTargets targets, bool checkUrl, CancellationToken cancellationToken)
    {
        foreach (var name in fields.Events)
        {
            if (name == EventCatalog.WebhookPing)
            {
                throw UnknownEventType($"'{name}' is sent only on request (POST …/webhooks/{{id}}/ping); subscriptions cannot list it.");
            }

            if (EventCatalog.Find(name) is null)
            {
                throw UnknownEventType($"'{name}' is not an event type. Event types: {string.Join(", ", Subscribable)}.");
            }
        }

        if (checkUrl && await targets.CheckAsync(new Uri(fields.Url, UriKind.Absolute), cancellationToken) is { } refusal)
        {
            throw DomainException.Invalid(refusal.Code, refusal.Message);
        }
    }

    private static IEnumerable<string> Subscribable => EventCatalog.All.Select(t => t.Name).Where(n => n != EventCatalog.WebhookPing);

    private static DomainException UnknownEventType(string message) => DomainException.Invalid("webhook.unknown_event_type", message);
}
