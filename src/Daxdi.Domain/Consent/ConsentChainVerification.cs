namespace Daxdi.Domain.Consent;

/// <summary>What checking a chain found: every record in order and linked, or the first that is not and why.</summary>
public sealed record ConsentChainVerification(bool Ok, long Checked, long? FailedSequence, Guid? FailedRecordId, string? Problem);

/// <summary>
/// Checks a chain one record at a time, in sequence order, so a chain of millions is verified as it is read: a gap or a
/// repeated sequence (a row deleted or inserted), a broken link, a hash that does not match the row's content (a row
/// edited), personal fields that do not match their commitment, a head that ends elsewhere (the last rows deleted) or a
/// row beyond the head (a row inserted after the last).
/// </summary>
public sealed class ConsentChainWalk
{
    private long _expectedSequence = 1;
    private string _previousHash = ConsentRecord.GenesisHash;

    /// <summary>Records checked so far.</summary>
    public long Checked => _expectedSequence - 1;

    /// <summary>Checks the next record; the failure when it does not verify, else null.</summary>
    public ConsentChainVerification? Add(ConsentRecord record)
    {
        string? problem = null;
        if (record.Sequence != _expectedSequence)
        {
            problem = record.Sequence < _expectedSequence
                ? $"sequence {record.Sequence} appears again: a row was inserted"
                : $"sequence {_expectedSequence} is missing: a row was deleted";
        }
        else if (record.PreviousHash != _previousHash)
        {
            problem = "its previous hash is not the hash of the record before it";
        }
        else if (record.ComputeHash() != record.Hash)
        {
            problem = "its content does not match its hash: the row was edited";
        }
        else if (!record.PersonalFieldsMatch())
        {
            problem = "its personal fields do not match their commitment: the row was edited";
        }

        if (problem is not null)
        {
            // A missing sequence is reported as itself; anything else as the record that does not verify.
            return record.Sequence > _expectedSequence
                ? new ConsentChainVerification(false, Checked, _expectedSequence, null, problem)
                : new ConsentChainVerification(false, Checked, record.Sequence, record.Id, problem);
        }

        _expectedSequence++;
        _previousHash = record.Hash;
        return null;
    }

    /// <summary>
    /// The verdict once the records up to the <paramref name="head"/> read before the walk have been added.
    /// <paramref name="highestStored"/> is the highest sequence stored, read after the walk, and
    /// <paramref name="headLengthNow"/> the head's length read after that: writers append while a chain is walked, and
    /// a row and the head move in one commit, so only a row past the head as it is now was not appended through it.
    /// </summary>
    public ConsentChainVerification Complete(ConsentChain? head, long? highestStored, long headLengthNow)
    {
        var length = Checked;
        if ((head?.Length ?? 0) != length || (head?.LastHash ?? ConsentRecord.GenesisHash) != _previousHash)
        {
            return new ConsentChainVerification(false, length, length + 1, null,
                $"the chain's head says {head?.Length ?? 0} records ending in {head?.LastHash ?? ConsentRecord.GenesisHash}, but {length} were found: the last rows were deleted or the head was edited");
        }

        if (highestStored is { } beyond && beyond > headLengthNow)
        {
            return new ConsentChainVerification(false, length, beyond, null,
                $"sequence {beyond} lies beyond the chain's head of {headLengthNow} records: a row was inserted");
        }

        return new ConsentChainVerification(true, length, null, null, null);
    }
}
