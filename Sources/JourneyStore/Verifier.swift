import JourneyModel
import LMDB

/// The outcome of `EventStore.verify()`.
public struct VerifyReport: Sendable {
    /// Committed events checked.
    public var events: UInt64 = 0
    /// The head the check ran against.
    public var head: LogHead = .empty
    /// Records beyond the head left by an interrupted import (not part of the log; the next
    /// import discards them).
    public var staged = 0
    /// The first problem found: the seq at fault (0 when it is not one event's) and what is wrong.
    public var problem: (seq: UInt64, message: String)?
    /// True if the store is encrypted.
    public var isEncrypted = false
    /// True if content was checked too: always for a plain store, with the key for an encrypted
    /// one. Without the key the chain, the id and participant indexes are checked (they need no
    /// content), the institution index is not.
    public var contentChecked = true
    /// Events of forgotten participants (sealed under a destroyed key; chain checked, content gone).
    public var forgottenEvents = 0

    /// True when the chain and every index agree with the log.
    public var isWhole: Bool { problem == nil }
}

extension EventStore {
    /// Recomputes the hash chain over the committed log and checks every index against it.
    /// A compaction that `forget` still owes is a problem too: a destroyed key's old bytes may
    /// remain in free pages.
    public func verify() throws -> VerifyReport {
        var report = try read { snapshot in try Verification.run(snapshot) }
        let owed = try owedCompaction()
        if report.problem == nil, !owed.isEmpty {
            report.problem = (0, "journey forget of \(owed.joined(separator: ", ")) did not finish compacting the store: the destroyed keys' old bytes may remain in LMDB's free pages (run journey forget --resume)")
        }
        return report
    }
}

private enum Verification {
    static func run(_ snapshot: borrowing StoreSnapshot) throws -> VerifyReport {
        var report = VerifyReport()
        report.head = snapshot.head
        let store = snapshot.store
        let txn = snapshot.txn.sharedHandle()
        let head = snapshot.head
        var previous = LogHead.empty.hash
        var expected: UInt64 = 1
        var withParticipant = 0
        var institutionsSeen: Set<String> = []
        var definitionsSeen: [UInt64] = []
        let generations = try snapshot.generations()
        let idCheck = try IndexGenerations.IdCheck(generations, txn, store)

        func fail(_ seq: UInt64, _ message: String) -> VerifyReport {
            var r = report
            r.problem = (seq, message)
            return r
        }

        var firstProblem: (UInt64, String)?
        var opener = RecordOpener(store: store)
        report.isEncrypted = store.isEncrypted
        report.contentChecked = !store.isEncrypted || store.cipher != nil
        try txn.withCursor(store.events) { cursor in
            do {
                var entry = try cursor.get(.first)
                while let (k, v) = entry {
                    guard k.count == 8 else { firstProblem = (expected, "events key of \(k.count) bytes, expected 8"); return }
                    let seq = StorageLayout.readUInt64(k)
                    if seq > head.seq { report.staged += 1; entry = try cursor.get(.next); continue }
                    guard seq == expected else { firstProblem = (expected, "seq \(expected) is missing from the log (next record is \(seq))"); return }
                    // Header checked in place: no copy of the record on this per-event path.
                    let sealed = v.count > 0 && v[0] == SealedRecord.version
                    guard v.count > StorageLayout.headerSize, v[0] == StorageLayout.recordVersion || (sealed && store.isEncrypted),
                          let storedType = EventType(rawValue: v[1]) else {
                        firstProblem = (seq, "record header is damaged (format byte \(v.first ?? 0), type byte \(v.count > 1 ? v[1] : 0))"); return
                    }
                    let hash = HashChain.hash(previous: previous, seq: seq, record: v)
                    guard hash.elementsEqual(v[StorageLayout.hashOffset..<(StorageLayout.hashOffset + StorageLayout.hashSize)]) else {
                        firstProblem = (seq, "hash mismatch: the stored record was altered (or an earlier one was), chain broken here"); return
                    }
                    // What the record says in the clear (a sealed record's id and participant), then
                    // its content where it can be read.
                    var id: String?
                    var participant: String?
                    if sealed {
                        guard let layout = SealedRecord.Layout(v, seq: seq) else { firstProblem = (seq, "sealed record is damaged"); return }
                        id = String(decoding: v[layout.id], as: UTF8.self)
                        participant = layout.participant.map { String(decoding: v[$0], as: UTF8.self) }
                    }
                    var event: Event?
                    if report.contentChecked {
                        do {
                            event = try opener.withJSON(seq: seq, v, txn) { json in try json.map { try EventParser.parse($0) } }
                        } catch {
                            firstProblem = (seq, "stored event is not valid: \(error)"); return
                        }
                        if let event {
                            guard event.type == storedType else { firstProblem = (seq, "record header says \(storedType.name) but the event is \(event.type.name)"); return }
                            if sealed, event.id != id || event.participant != participant {
                                firstProblem = (seq, "the sealed event's id or participant differs from its record header"); return
                            }
                            id = event.id
                            participant = event.participant
                        } else {
                            report.forgottenEvents += 1
                        }
                    }
                    guard let id else { firstProblem = (seq, "record has no readable id"); return }
                    let seqBytes = StorageLayout.seqKey(seq)
                    if let problem = try idCheck.problem(id: Array(id.utf8), seq: seq, txn) {
                        firstProblem = (seq, problem); return
                    }
                    if let p = participant {
                        withParticipant += 1
                        guard try generations.hasParticipantEntry(p, at: seq, txn, store) else {
                            firstProblem = (seq, "participant index lacks (\(p), \(seq))"); return
                        }
                    }
                    // An institution first named by a forgotten participant's event is indexed at a
                    // seq this check cannot read; then the first readable mention must come later.
                    for institution in event?.payload.institutions ?? [] where !institutionsSeen.contains(institution) {
                        institutionsSeen.insert(institution)
                        guard let first = try txn.value(store.institutions, key: Array(store.institutionKey(institution).utf8)),
                              first == seqBytes || (report.forgottenEvents > 0 && first.withUnsafeBytes { StorageLayout.readUInt64($0) } < seq) else {
                            firstProblem = (seq, "institution index does not record \"\(institution)\" as first named at seq \(seq)"); return
                        }
                    }
                    if Codebook.isDefinition(storedType) { definitionsSeen.append(seq) }
                    previous = hash
                    report.events = seq
                    expected += 1
                    entry = try cursor.get(.next)
                }
            }
        }
        if let (seq, message) = firstProblem { return fail(seq, message) }
        guard report.events == head.seq else { return fail(report.events + 1, "log ends at seq \(report.events) but the head says \(head.seq)") }
        guard previous == head.hash else { return fail(head.seq, "head hash does not match the last event's hash") }

        // No index entry may point at a committed seq that the scan did not account for.
        var idCount = 0, participantCount = 0
        for (i, g) in generations.list.enumerated() {
            let seqs = generations.firstSeq(at: i)...g.lastSeq
            idCount += try countEntries(try store.idIndex(generation: g.number), txn, within: seqs)
            participantCount += try countParticipantEntries(try store.participantIndex(generation: g.number), txn, within: seqs)
        }
        guard generations.list.last?.lastSeq ?? 0 == head.seq else {
            return fail(0, "the index generations cover the log up to seq \(generations.list.last?.lastSeq ?? 0), but the head is \(head.seq)")
        }
        guard idCount == Int(head.seq) else { return fail(0, "id index has \(idCount) entries for \(head.seq) events") }
        guard participantCount == withParticipant else {
            return fail(0, "participant index has \(participantCount) entries for \(withParticipant) participant events")
        }
        let listed = try store.definitionSeqs(upto: .max, txn)
        guard listed == definitionsSeen else {
            return fail(0, "the list of codebook definitions names seqs \(listed) but the log has them at \(definitionsSeen)")
        }
        if let problem = try clusteredCopyProblem(snapshot, generations) { return fail(0, problem) }
        let institutionCount = try countEntries(store.institutions, txn, within: 1...max(1, head.seq))
        guard !report.contentChecked || institutionCount == institutionsSeen.count
                || (report.forgottenEvents > 0 && institutionCount > institutionsSeen.count) else {
            return fail(0, "institution index has \(institutionCount) entries for \(institutionsSeen.count) institutions named")
        }
        return report
    }

    /// What is wrong with the copy `journey cluster` made, if it is marked complete: each entry
    /// must be its participant's, hold the log's record byte for byte, and every participant
    /// event up to the seq it covers must have one.
    private static func clusteredCopyProblem(_ snapshot: borrowing StoreSnapshot, _ generations: IndexGenerations) throws -> String? {
        let clustered = try snapshot.clusteredUpto()
        guard clustered > 0, let journeys = snapshot.store.journeys else { return nil }
        let store = snapshot.store, txn = snapshot.txn.sharedHandle()
        guard clustered <= snapshot.head.seq else { return "the clustered copy claims seq \(clustered), beyond the head \(snapshot.head.seq)" }
        var copied = 0
        let problem: String? = try txn.withCursor(journeys) { cursor in
            var entry = try cursor.get(.first)
            while let (k, v) = entry {
                guard k.count > 9, k[k.count - 9] == 0 else { return "clustered copy key of \(k.count) bytes is damaged" }
                let seq = StorageLayout.readUInt64(k, at: k.count - 8)
                let participant = String(decoding: k[0..<(k.count - 9)], as: UTF8.self)
                guard seq <= clustered else { return "clustered copy holds seq \(seq), beyond the seq \(clustered) it covers" }
                let same = try StorageLayout.withSeqKey(seq) { key in try txn.withValue(store.events, key: key) { $0.map { $0.elementsEqual(v) } } }
                guard same == true else { return "clustered copy of seq \(seq) differs from the log's record (run journey cluster again)" }
                guard try generations.hasParticipantEntry(participant, at: seq, txn, store) else {
                    return "clustered copy files seq \(seq) under \"\(participant)\", whose event it is not"
                }
                copied += 1
                entry = try cursor.get(.next)
            }
            return nil
        }
        if let problem { return problem }
        var expected = 0
        for (i, g) in generations.list.enumerated() where generations.firstSeq(at: i) <= clustered {
            expected += try countParticipantEntries(try store.participantIndex(generation: g.number), txn,
                                                    within: generations.firstSeq(at: i)...min(g.lastSeq, clustered))
        }
        guard copied == expected else { return "clustered copy has \(copied) records for \(expected) participant events up to seq \(clustered) (run journey cluster again)" }
        return nil
    }

    /// Participant index entries whose key ends in a seq within `seqs`.
    private static func countParticipantEntries(_ db: Database, _ txn: borrowing Transaction, within seqs: ClosedRange<UInt64>) throws -> Int {
        try txn.withCursor(db) { cursor in
            var n = 0
            var entry = try cursor.get(.first)
            while let (k, _) = entry {
                if k.count > 9 && seqs.contains(StorageLayout.readUInt64(k, at: k.count - 8)) { n += 1 }
                entry = try cursor.get(.next)
            }
            return n
        }
    }

    /// Entries whose value (a seq) is within `seqs`.
    private static func countEntries(_ db: Database, _ txn: borrowing Transaction, within seqs: ClosedRange<UInt64>) throws -> Int {
        try txn.withCursor(db) { cursor in
            var n = 0
            var entry = try cursor.get(.first)
            while let (_, v) = entry {
                if v.count == 8 && seqs.contains(StorageLayout.readUInt64(v)) { n += 1 }
                entry = try cursor.get(.next)
            }
            return n
        }
    }
}
