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
    /// stays valid. The action is recorded in the audit trail with `reason`.
    ///
    /// LMDB keeps deleted values in free pages until they are reused, so the store is then
    /// rewritten as a compacted copy (live pages only) that replaces `data.mdb`. That needs the
    /// store to itself: if another process has it open, the key is destroyed but the
    /// compaction is refused; running `forget` again once the store is free completes it.
    public static func forget(
        participant: String, reason: String, by: String, directory: String, key: MasterKey, testingTightMap: Bool = false
    ) throws -> ForgetReport {
        guard Identifier.matches(participant) else {
            throw StoreError("participant: \"\(participant)\" is not a pseudonym (1-64 of A-Z a-z 0-9 . _ -)")
        }
        let reasonText = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reasonText.isEmpty else { throw StoreError("--reason: say why the participant is forgotten (it goes into the audit trail)") }
        let lock = try WriterLock(directory: directory, onWait: {})
        defer { withExtendedLifetime(lock) {} }
        var (events, appended, before) = (0, UInt64?.none, 0)
        do {
            let plain = try EventStore(directory: directory)
            guard plain.isEncrypted else {
                throw StoreError("\(directory): the store is not encrypted, so a participant cannot be forgotten by destroying their key (create stores with journey init --encrypt)")
            }
        }
        do {
            let store = try EventStore(directory: directory, writable: true, key: key, testingTightMap: testingTightMap)
            before = store.sizeOnDisk()
            try store.discardStaged()
            (events, appended) = try store.destroyKey(of: participant, by: by)
            var detail = ["participant": participant, "reason": reasonText, "events": String(events)]
            if let appended { detail["seq"] = String(appended) } else { detail["note"] = "forgotten before; compaction run again" }
            try store.recordAudit(action: "forget", by: by, detail: detail)
        }
        try compact(directory)
        let after = (try? EventStore(directory: directory).sizeOnDisk()) ?? 0
        return ForgetReport(participant: participant, eventsDestroyed: events, appendedSeq: appended, bytesBefore: before, bytesAfter: after)
    }

    /// In one transaction: the tombstone in `keys` and the `participant.exited` event.
    private func destroyKey(of participant: String, by: String) throws -> (events: Int, appended: UInt64?) {
        guard let cipher = try contentCipher(), let keys else { throw StoreError(needsKeyMessage) }
        let result: (Int, UInt64?) = try env.write { txn in
            let head = try Self.head(txn, meta)
            let snapshot = StoreSnapshot(store: self, txn: txn, head: head)
            let seqs = try snapshot.seqs(ofParticipant: participant)
            guard !seqs.isEmpty else { throw StoreError("\(directory): no participant \"\(participant)\" in the store") }
            let keyName = Array(participant.utf8)
            guard let wrapped = try txn.value(keys, key: keyName) else {
                throw StoreError("\(directory): participant \"\(participant)\" has no data key (run journey verify)")
            }
            if wrapped.isEmpty { return (seqs.count - 1, nil) }

            let id = Self.forgetEventID(participant)
            guard try txn.value(ids, key: Array(id.utf8)) == nil else {
                throw StoreError("\(directory): the id \"\(id)\" is taken by an imported event; cannot record the forgetting")
            }
            let appended = max(Timestamp.nowMicros(), head.appendedMicros)
            var line = JSONLine.event(id: id, type: EventType.participantExited.name, participant: participant,
                                      at: Timestamp.rfc3339(micros: appended), source: "manual", by: by)
            var data = JSONLine()
            data.add("reason", "withdrew")
            line.add("data", object: data)
            var json: [UInt8] = []
            let text = line.line
            _ = try Array(text.utf8).withUnsafeBytes { try EventParser.parseAndStore($0, into: &json) }

            let seq = head.seq + 1
            var record: [UInt8] = []
            let hash = try Array(id.utf8).withUnsafeBytes { idBytes in
                try json.withUnsafeBytes { jsonBytes in
                    try SealedRecord.appendSingle(
                        seq: seq, type: .participantExited, appendedMicros: appended, slot: .store, id: idBytes,
                        participant: participant, json: jsonBytes, key: cipher.storeKey,
                        nonceSalt: UInt32.random(in: .min ... .max), previousHash: head.hash, into: &record)
                }
            }
            try txn.put(keys, key: keyName, value: [])
            guard try txn.put(events, key: StorageLayout.seqKey(seq), value: record, options: .noOverwrite) else {
                throw StoreError("\(directory): seq \(seq) is already taken")
            }
            try txn.put(ids, key: Array(id.utf8), value: StorageLayout.seqKey(seq))
            try txn.put(participants, key: StorageLayout.namedSeqKey(participant, seq), value: [])
            try txn.put(meta, key: StorageLayout.headKey, value: LogHead(seq: seq, hash: hash, appendedMicros: appended).encoded)
            return (seqs.count, seq)
        }
        cipher.evict(participant)
        return result
    }

    /// Replaces `data.mdb` with a compacted copy: free pages - where LMDB leaves deleted
    /// values - are not copied. Refused while another process has the environment open.
    private static func compact(_ directory: String) throws {
        let staging = directory + "/.compact"
        let fm = FileManager.default
        try? fm.removeItem(atPath: staging)
        guard mkdir(staging, 0o700) == 0 else {
            throw StoreError("\(staging): cannot create: \(String(cString: strerror(errno)))")
        }
        defer { try? fm.removeItem(atPath: staging) }
        do {
            let env = try Environment(path: directory, maxDatabases: 16)
            try env.copyCompacted(to: staging)
        }
        // Every process with the environment open holds a shared lock on byte 0 of lock.mdb
        // (LMDB's own protocol); an exclusive lock there means nobody else has it open.
        let lockPath = directory + "/lock.mdb"
        let fd = open(lockPath, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError("\(lockPath): cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var exclusive = flock()
        exclusive.l_type = Int16(F_WRLCK)
        exclusive.l_whence = Int16(SEEK_SET)
        exclusive.l_start = 0
        exclusive.l_len = 1
        guard fcntl(fd, F_SETLK, &exclusive) == 0 else {
            throw StoreError("\(directory): the participant's key is destroyed, but another process has the store open, so its old bytes may remain in LMDB's free pages; run the same journey forget again when nothing else uses the store")
        }
        let copy = staging + "/data.mdb"
        let copyFD = open(copy, O_RDWR | O_CLOEXEC)
        guard copyFD >= 0, fsync(copyFD) == 0 else { throw StoreError("\(copy): cannot sync the compacted copy") }
        fchmod(copyFD, 0o600)
        close(copyFD)
        guard rename(copy, directory + "/data.mdb") == 0 else {
            throw StoreError("\(directory): cannot replace data.mdb with the compacted copy: \(String(cString: strerror(errno)))")
        }
        let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 {
            fsync(dirFD)
            close(dirFD)
        }
    }
}
