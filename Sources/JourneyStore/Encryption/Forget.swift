import Foundation
import JourneyModel
import LMDB

/// What `EventStore.forget` did.
public struct ForgetReport: Sendable {
    /// The participant.
    public let participant: String
    /// The participant's events whose content is now gone for good.
    public let eventsDestroyed: Int
    /// The seq of the `participant.exited` (`withdrew`) event appended; `nil` if the participant
    /// had been forgotten before (then only the compaction ran again).
    public let appendedSeq: UInt64?
    /// Store size on disk before and after the compaction.
    public let bytesBefore: Int
    public let bytesAfter: Int
}

extension EventStore {
    /// The id of the event `forget` appends for `participant`.
    public static func forgetEventID(_ participant: String) -> String { "forgotten:" + participant }

    /// Crypto-shredding: destroys `participant`'s data key, so their events can never be
    /// decrypted again - not even with the master key - and appends a `participant.exited`
    /// event (reason `withdrew`, id `forgotten:P`, sealed under the store key) so every projection
    /// shows them as withdrawn with no content. Nothing in the log is rewritten; the hash chain
    /// stays valid. The event, the key's destruction, the audit entry (with `reason`) and a note
    /// that a compaction is owed commit in one transaction, through the import.
    ///
    /// LMDB keeps deleted values in free pages until they are reused, so the store is then
    /// rewritten as a compacted copy (`compact`), which waits up to `compactionWait` seconds for
    /// other processes to close the store. Until it has run, `verify` fails and every command
    /// warns; `journey forget --resume` (or the next writer) finishes it.
    public static func forget(
        participant: String, reason: String, by: String, directory: String, key: MasterKey,
        compactionWait: Double = 60, onWait: () -> Void = {}, testingTightMap: Bool = false
    ) throws -> ForgetReport {
        guard Identifier.matches(participant) else {
            throw StoreError("participant: \"\(participant)\" is not a pseudonym (1-64 of A-Z a-z 0-9 . _ -)")
        }
        let reasonText = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reasonText.isEmpty else { throw StoreError("--reason: say why the participant is forgotten (it goes into the audit trail)") }
        var (events, appended, before) = (0, UInt64?.none, 0)
        do {
            let plain = try EventStore(directory: directory)
            guard plain.isEncrypted else {
                throw StoreError("\(directory): the store is not encrypted, so a participant cannot be forgotten by destroying their key (create stores with journey init --encrypt)")
            }
        }
        do {
            let lock = try WriterLock(directory: directory, onWait: {})
            defer { withExtendedLifetime(lock) {} }
            let store = try EventStore(directory: directory, writable: true, key: key, testingTightMap: testingTightMap)
            before = store.sizeOnDisk()
            try store.discardStaged()
            (events, appended) = try store.destroyKey(of: participant, by: by, reason: reasonText)
        }
        _ = try compact(directory, wait: compactionWait, onWait: onWait)
        let after = (try? EventStore(directory: directory).sizeOnDisk()) ?? 0
        return ForgetReport(participant: participant, eventsDestroyed: events, appendedSeq: appended, bytesBefore: before, bytesAfter: after)
    }

    /// Appends the `participant.exited` event through the import, which destroys the key and
    /// records the audit entry in the same transaction. The caller holds the writer lock.
    private func destroyKey(of participant: String, by: String, reason: String) throws -> (events: Int, appended: UInt64?) {
        guard let cipher = try contentCipher(), let keys else { throw StoreError(needsKeyMessage) }
        let (seqs, wrapped, idTaken) = try read { snapshot in
            let txn = snapshot.txn.sharedHandle()
            return (try snapshot.seqs(ofParticipant: participant), try txn.value(keys, key: Array(participant.utf8)),
                    try txn.value(ids, key: Array(Self.forgetEventID(participant).utf8)) != nil)
        }
        guard !seqs.isEmpty else { throw StoreError("\(directory): no participant \"\(participant)\" in the store") }
        guard let wrapped else { throw StoreError("\(directory): participant \"\(participant)\" has no data key (run journey verify)") }
        var detail = ["participant": participant, "reason": reason]
        if wrapped.isEmpty {
            detail["events"] = String(seqs.count - 1)
            detail["note"] = "forgotten before; compaction run again"
            // The compaction is owed again, with the audit entry that says why.
            let request = AuditRequest(action: "forget", by: by, detail: detail)
            try env.write { txn in
                try noteCompactionOwed(for: participant, txn)
                try appendAudit(request, logHead: try Self.head(txn, meta).seq, txn)
            }
            return (seqs.count - 1, nil)
        }
        let id = Self.forgetEventID(participant)
        guard !idTaken else { throw StoreError("\(directory): the id \"\(id)\" is taken by an imported event; cannot record the forgetting") }
        var line = JSONLine.event(id: id, type: EventType.participantExited.name, participant: participant,
                                  at: Timestamp.rfc3339(micros: max(Timestamp.nowMicros(), try head().appendedMicros)),
                                  source: "manual", by: by)
        var data = JSONLine()
        data.add("reason", "withdrew")
        line.add("data", object: data)
        detail["events"] = String(seqs.count)
        var options = ImportOptions()
        options.forgetting = participant
        options.audit = AuditRequest(action: "forget", by: by, detail: detail)
        let report = try importLocked(Array((line.line + "\n").utf8), name: "forget \(participant)", options: options)
        guard report.succeeded, report.appended == 1, let seq = report.seqRange?.lowerBound else {
            throw StoreError("\(directory): could not record the forgetting of \"\(participant)\": \(report.errors.map(\.description).joined(separator: "; "))")
        }
        cipher.evict(participant)
        return (seqs.count, seq)
    }
}
