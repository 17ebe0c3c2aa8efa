namespace Daxdi.Domain.Consent;

/// <summary>What checking a chain found: every record in order and linked, or the first that is not and why.</summary>
public sealed record ConsentChainVerification(bool Ok, long Checked, long? FailedSequence, Guid? FailedRecordId, string? Problem)
{
    /// <summary>
    /// Walks <paramref name="records"/> (a chain's records, by sequence) against its <paramref name="head"/>: a gap or a
    /// repeated sequence (a row deleted or inserted), a broken link, a hash that does not match the row's content (a row
    /// edited), personal fields that do not match their commitment, or a head that ends elsewhere (the last rows deleted).
    /// </summary>
    public static ConsentChainVerification Of(IEnumerable<ConsentRecord> records, ConsentChain? head)
    {
        var expectedSequence = 1L;
        var previousHash = ConsentRecord.GenesisHash;
        foreach (var record in records)
        {
            string? problem = null;
            if (record.Sequence != expectedSequence)
            {
                problem = record.Sequence < expectedSequence
                    ? $"sequence {record.Sequence} appears again: a row was inserted"
                    : $"sequence {expectedSequence} is missing: a row was deleted";
            }
            else if (record.PreviousHash != previousHash)
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
                return record.Sequence > expectedSequence
                    ? new ConsentChainVerification(false, expectedSequence - 1, expectedSequence, null, problem)
                    : new ConsentChainVerification(false, expectedSequence - 1, record.Sequence, record.Id, problem);
            }

            expectedSequence++;
            previousHash = record.Hash;
        }

        var length = expectedSequence - 1;
        if ((head?.Length ?? 0) != length || (head?.LastHash ?? ConsentRecord.GenesisHash) != previousHash)
        {
            return new ConsentChainVerification(false, length, length + 1, null,
                $"the chain's head says {head?.Length ?? 0} records ending in {head?.LastHash ?? ConsentRecord.GenesisHash}, but {length} were found: the last rows were deleted or the head was edited");
        }

        return new ConsentChainVerification(true, length, null, null, null);
    }
}
