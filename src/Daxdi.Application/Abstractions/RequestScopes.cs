namespace Daxdi.Application.Abstractions;

/// <summary>A request about one site, named by its key. An author credential may send it for its own site only.</summary>
public interface ISiteRequest
{
    string Site { get; }
}

/// <summary>A request about one article, by id. An author credential may send it for its own articles only.</summary>
public interface IArticleRequest
{
    Guid Id { get; }
}

/// <summary>A request anyone may send, whatever credential comes with it (the public delivery API).</summary>
public interface IPublicRequest;
