using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Sites;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Consent;

/// <summary>What an erasure did.</summary>
/// <param name="Records">The subject's records whose personal fields were erased; every one stays as proof.</param>
public sealed record ConsentErasure(int Records);

/// <summary>
/// Erase a subject (GDPR Art. 17): the personal fields of every record of theirs go, irreversibly; the records, their
/// hashes and the counts of decisions stay, so the chain still verifies.
/// </summary>
public sealed record EraseConsentSubject(string Site, string SubjectId) : ICommand<ConsentErasure>;

public sealed class EraseConsentSubjectHandler(IDaxdiDbContext db, TimeProvider clock) : ICommandHandler<EraseConsentSubject, ConsentErasure>
{
    public async ValueTask<ConsentErasure> Handle(EraseConsentSubject command, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().GetByKeyAsync(command.Site, cancellationToken);
        var records = await db.ConsentRecords.Where(r => r.SiteId == site.Id && r.SubjectId == command.SubjectId).ToListAsync(cancellationToken);
        if (records.Count == 0)
        {
            throw ConsentRecordDto.SubjectNotFound(command.SubjectId, site.Key);
        }

        var now = clock.UtcNow();
        foreach (var record in records)
        {
            record.Erase(now);
        }

        return new ConsentErasure(records.Count);
    }
}
