using Daxdi.Application.Features.Articles.Similarity;

namespace Daxdi.Infrastructure.Similarity;

/// <summary>
/// The MinHash signatures of each site's articles and their LSH buckets, in memory: one comparison looks up 32
/// buckets and scores only the candidates found there, so its cost follows the number of look-alikes, not the size
/// of the archive. A site is loaded on first use and caught up from the store (<see cref="ArticleSimilarity"/>).
/// </summary>
public sealed class SimilarityIndex
{
    private readonly Dictionary<Guid, Site> _sites = [];

    /// <summary>The site's index, empty (and stale) the first time.</summary>
    public Site For(Guid siteId)
    {
        lock (_sites)
        {
            if (!_sites.TryGetValue(siteId, out var site))
            {
                _sites[siteId] = site = new Site();
            }

            return site;
        }
    }

    /// <summary>Marks a site's index stale, so the next comparison reads the store's changes first.</summary>
    public void Changed(Guid siteId)
    {
        lock (_sites)
        {
            if (_sites.TryGetValue(siteId, out var site))
            {
                site.Stale = true;
            }
        }
    }

    /// <summary>One site's signatures. Readers and the one writer (catch-up) take its lock; each holds it for microseconds per article.</summary>
    public sealed class Site
    {
        private readonly Dictionary<Guid, uint[]> _signatures = [];
        private readonly Dictionary<ulong, List<Guid>> _buckets = [];

        /// <summary>The newest <c>UpdatedAt</c> read from the store.</summary>
        public DateTime Watermark { get; set; } = DateTime.MinValue;

        public DateTime CaughtUpAt { get; set; } = DateTime.MinValue;

        public bool Stale { get; set; } = true;

        public SemaphoreSlim CatchUp { get; } = new(1, 1);

        public void Put(Guid articleId, uint[]? signature)
        {
            lock (_signatures)
            {
                if (_signatures.Remove(articleId, out var old))
                {
                    for (var band = 0; band < TextSignature.Bands; band++)
                    {
                        if (_buckets.TryGetValue(TextSignature.BandKey(old, band), out var bucket) && bucket.Remove(articleId) && bucket.Count == 0)
                        {
                            _buckets.Remove(TextSignature.BandKey(old, band));
                        }
                    }
                }

                if (signature is null)
                {
                    return;
                }

                _signatures[articleId] = signature;
                for (var band = 0; band < TextSignature.Bands; band++)
                {
                    var key = TextSignature.BandKey(signature, band);
                    if (!_buckets.TryGetValue(key, out var bucket))
                    {
                        _buckets[key] = bucket = [];
                    }

                    bucket.Add(articleId);
                }
            }
        }

        /// <summary>The articles sharing a band with <paramref name="signature"/>, scored, best first.</summary>
        public List<(Guid ArticleId, double Similarity)> Candidates(uint[] signature, Guid? excluding, double minimum)
        {
            var seen = new HashSet<Guid>();
            var scored = new List<(Guid, double)>();
            lock (_signatures)
            {
                for (var band = 0; band < TextSignature.Bands; band++)
                {
                    if (!_buckets.TryGetValue(TextSignature.BandKey(signature, band), out var bucket))
                    {
                        continue;
                    }

                    foreach (var id in bucket)
                    {
                        if (id != excluding && seen.Add(id) && TextSignature.Similarity(signature, _signatures[id]) is var score && score >= minimum)
                        {
                            scored.Add((id, score));
                        }
                    }
                }
            }

            scored.Sort((a, b) => b.Item2.CompareTo(a.Item2));
            return scored;
        }
    }
}
