using System.ComponentModel.DataAnnotations;

namespace Daxdi.Infrastructure.Consent;

/// <summary>The receipt-key settings of configuration section <c>Consent</c>.</summary>
public sealed class ReceiptKeyOptions
{
    public const string Section = "Consent";

    /// <summary>
    /// The folder of the Data Protection key ring that encrypts the receipt keys' private halves. Every node of a
    /// deployment must use the same folder (a shared volume): a node with another ring cannot decrypt the signing key.
    /// Unset: a <c>keys</c> folder beside the SQLite file, or <c>data/keys</c> under the content root for the other stores.
    /// </summary>
    public string? KeyRingPath { get; set; }

    /// <summary>
    /// How often a node re-reads which key is active, so a rotation made on another node signs everywhere within this
    /// time (at once on the node that rotated).
    /// </summary>
    [Range(1, 3600)]
    public int SigningKeyRefreshSeconds { get; set; } = 60;

    /// <summary>How long clients and caches may keep the JWKS (<c>Cache-Control: max-age</c>).</summary>
    [Range(0, 86400)]
    public int JwksMaxAgeSeconds { get; set; } = 300;
}
