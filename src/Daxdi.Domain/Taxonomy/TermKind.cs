namespace Daxdi.Domain.Taxonomy;

/// <summary>The three taxonomies of a site. They share one shape (slug and name) and one table.</summary>
public enum TermKind
{
    Author,
    Tag,
    Section,
}
