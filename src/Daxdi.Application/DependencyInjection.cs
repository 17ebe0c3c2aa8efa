using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Events;
using Daxdi.Application.Features.Articles;
using Daxdi.Application.Features.Articles.Rendering;
using Daxdi.Application.Features.Delivery;
using Daxdi.Application.Features.Webhooks;
using Daxdi.Application.Features.WebhookDispatch;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace Daxdi.Application;

public static class DependencyInjection
{
    /// <summary>Registers validators found in this assembly and the article services. The mediator itself is generated in the Api project.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        // Error keys and messages use the JSON names clients send ("defaultLanguage"), not C# names.
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
            member is null ? null : System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        // Stop at a property's first failing rule: later rules may assume the earlier ones held (e.g. not null).
        ValidatorOptions.Global.DefaultRuleLevelCascadeMode = CascadeMode.Stop;
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddSingleton<ArticleBodyRenderer>();
        services.AddSingleton<IPublicJson, PublicJson>();
        services.AddScoped<ArticleComposer>();
        services.AddSingleton<Features.Articles.Import.PageExtractor>();
        services.AddSingleton(new GroupCommit<Domain.Consent.ConsentRecord, Mediator.Unit>(records => new Features.Consent.AppendConsentRecords(records)));
        services.AddSingleton(new GroupCommit<Features.Payments.PricedPaymentIntent, Features.Payments.CreatedPaymentIntentDto>(
            intents => new Features.Payments.AllocatePaymentIntents(intents)));
        services.AddScoped<PublishedDocuments>();
        services.AddScoped<PublicListItems>();
        services.AddScoped<IPublicCache, PublicCache>();
        services.AddSingleton<DocumentRenderSignal>();
        services.AddSingleton<IntegrationEvents>();
        services.AddSingleton<WebhookDispatchSignal>();
        // Participants run in this order: outbox rows first, so they are saved with the change; then the rules counted
        // after the save (webhook limit); then documents, then the cache.
        services.AddScoped<ICommitParticipant, OutboxParticipant>();
        services.AddScoped<ICommitParticipant, WebhookLimitParticipant>();
        services.AddScoped<PublishedDocumentsParticipant>();
        services.AddScoped<ICommitParticipant>(sp => sp.GetRequiredService<PublishedDocumentsParticipant>());
        services.AddScoped<ICommitParticipant, PublicCacheParticipant>();
        services.AddScoped<ICommitParticipant, Features.Articles.Similarity.SimilarityParticipant>();
        services.AddScoped<CommitPipeline>();
        services.AddScoped<Common.Idempotency.IdempotentCommit>();
        services.AddSingleton<Common.Idempotency.IdempotencyInFlight>();
        return services;
    }
}
