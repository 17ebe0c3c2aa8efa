namespace Daxdi.Domain.Security;

/// <summary>What an API key or token may do. Each key carries exactly one role.</summary>
public enum ApiRole
{
    /// <summary>Everything, including API keys and sites.</summary>
    Admin,

    /// <summary>All articles, publishing, taxonomy, recommendations, import.</summary>
    Editor,

    /// <summary>Own drafts only; cannot publish.</summary>
    Author,

    /// <summary>Consent policies and records, exports, erasure.</summary>
    Compliance,

    /// <summary>Payment intents and wallet settings.</summary>
    Finance,
}
