import Crypto
import Foundation
import JourneyModel
import LMDB

/// Events validated but not yet written: their records and index entries.
struct PendingBatch: Sendable {
    private(set) var firstSeq: UInt64
    var records: [UInt8] = []
    var recordEnds: [Int] = []
    var types: [EventType] = []
    /// Each event's participant as its number in `participants`; -1 for none.
    private var participantNumbers: [Int32] = []
    /// Ids in batch order (index = seq - firstSeq), as UTF-8 in one buffer.
    var idBytes: [UInt8] = []
    var idEnds: [Int] = []
    /// Id -> index, built only when a line may repeat an id of this batch.
    private var idIndex: [String: Int]?
    /// The batch's pseudonyms, numbered in order of first appearance, and each one's seqs.
    var participants = StringNumbering(capacity: 1024)
    var seqsOfParticipant: [[UInt64]] = []
    /// Index key (the id, or its blinded form) and seq of institutions first named here.
    var newInstitutions: [(String, UInt64)] = []
    /// Wrapped data keys of participants first seen here (encrypted stores).
    var newKeys: [(String, [UInt8])] = []
    /// Encrypted stores: the events' JSON until the batch is sealed (`sealGroups`).
    var plain: [UInt8] = []
    var plainEnds: [Int] = []
    /// Participants whose data key the import destroys (`forget`; the import's last batch, with
    /// the head's move).
    var tombstones: [String] = []
    /// The import's audit entry, written with the head (the import's last batch).
    var audit: AuditRequest?
    /// The seqs of the import's codebook definitions, listed with the head (the last batch).
    var definitions: [UInt64] = []

    init(firstSeq: UInt64, expected: Int = 0) {
        self.firstSeq = firstSeq
        records.reserveCapacity(expected * 320)
        recordEnds.reserveCapacity(expected)
        idBytes.reserveCapacity(expected * 24)
        idEnds.reserveCapacity(expected)
    }

    /// Empties the batch for events from `firstSeq` on, keeping the capacity of every buffer and
    /// the size of its pseudonym table (a written batch made ready for the next: `BatchRecycler`).
    mutating func empty(from firstSeq: UInt64) {
        self.firstSeq = firstSeq
        records.removeAll(keepingCapacity: true)
        recordEnds.removeAll(keepingCapacity: true)
        types.removeAll(keepingCapacity: true)
        participantNumbers.removeAll(keepingCapacity: true)
        idBytes.removeAll(keepingCapacity: true)
        idEnds.removeAll(keepingCapacity: true)
        idIndex = nil
        participants.removeAll()
        seqsOfParticipant.removeAll(keepingCapacity: true)
        newInstitutions.removeAll(keepingCapacity: true)
        newKeys.removeAll(keepingCapacity: true)
        plain.removeAll(keepingCapacity: true)
        plainEnds.removeAll(keepingCapacity: true)
        tombstones.removeAll()
        definitions.removeAll()
        audit = nil
    }

    var count: Int { recordEnds.count }

    mutating func index(of id: String) -> Int? {
        if idIndex == nil {
            idIndex = Dictionary((0..<idEnds.count).map { (String(decoding: idSlice($0), as: UTF8.self), $0) },
                                 uniquingKeysWith: { first, _ in first })
        }
        return idIndex?[id]
    }

    func idSlice(_ index: Int) -> ArraySlice<UInt8> {
        idBytes[(index == 0 ? 0 : idEnds[index - 1])..<idEnds[index]]
    }

    mutating func add(event: EventKeys, id: UnsafeRawBufferPointer, seq: UInt64, recordEnd: Int) {
        if idIndex != nil { idIndex?[String(decoding: id, as: UTF8.self)] = recordEnds.count }
        idBytes.append(contentsOf: id)
        idEnds.append(idBytes.count)
        recordEnds.append(recordEnd)
        types.append(event.type)
        if let p = event.participant {
            let n = participants.number(p)
            if n == seqsOfParticipant.count { seqsOfParticipant.append([seq]) } else { seqsOfParticipant[n].append(seq) }
            participantNumbers.append(Int32(n))
        } else {
            participantNumbers.append(-1)
        }
    }

    /// The participant of the event at `index`, if it has one.
    func participant(at index: Int) -> String? {
        let n = participantNumbers[index]
        return n < 0 ? nil : participants.name(Int(n))
    }

    func json(at index: Int) -> [UInt8] {
        let start = index == 0 ? 0 : recordEnds[index - 1]
        return Array(records[(start + StorageLayout.headerSize)..<recordEnds[index]])
    }

    /// The JSON of the event at `index` before sealing (encrypted stores).
    func plainJSON(at index: Int) -> [UInt8] {
        Array(plain[(index == 0 ? 0 : plainEnds[index - 1])..<plainEnds[index]])
    }

    /// Writes records (appending), data keys and first mentions; the id and participant index
    /// entries go to `StagedIndexEntries`, the tombstones and the audit entry to the transaction
    /// that moves the head (`commit`).
    func write(_ txn: borrowing Transaction, store: EventStore) throws {
        try records.withUnsafeBytes { all in
            try txn.withCursor(store.events) { cursor in
                var start = 0
                for (i, end) in recordEnds.enumerated() {
                    let ok = try StorageLayout.withSeqKey(firstSeq + UInt64(i)) { k in
                        try cursor.put(key: k, value: UnsafeRawBufferPointer(rebasing: all[start..<end]), options: .append)
                    }
                    guard ok else { throw StoreError("\(store.directory): seq \(firstSeq + UInt64(i)) is already taken") }
                    start = end
                }
            }
        }
        if let keysDB = store.keys {
            for (participant, wrapped) in newKeys {
                guard try txn.put(keysDB, key: Array(participant.utf8), value: wrapped, options: .noOverwrite) else {
                    throw StoreError("\(store.directory): participant \"\(participant)\" has a data key already")
                }
            }
        } else if !newKeys.isEmpty {
            throw StoreError("\(store.directory): the store has no keys database")
        }
        for (institution, seq) in newInstitutions {
            try txn.put(store.institutions, key: Array(institution.utf8), value: StorageLayout.seqKey(seq), options: .noOverwrite)
        }
    }
    /// What the transaction that moves the head to `head` writes besides: the head, the index
    /// generations the import wrote (`generations`, now listed), the destroyed keys (each noted
    /// as owing a compaction) and the import's audit entry - so they commit with the log's new
    /// end or not at all, however the import's writes were split.
    func commit(head: LogHead, generations: [IndexGenerations.Generation], _ txn: borrowing Transaction, store: EventStore) throws {
        // Read before the head moves: a store without a generations record has generation 0
        // up to the old head.
        var listed = try IndexGenerations.current(txn, store)
        listed.append(generations)
        try listed.write(txn, store)
        try txn.put(store.meta, key: StorageLayout.headKey, value: head.encoded)
        try store.appendDefinitions(definitions, txn)
        for participant in tombstones { try store.destroyKey(of: participant, txn) }
        if let audit { try store.appendAudit(audit, logHead: head.seq, txn) }
    }

}
