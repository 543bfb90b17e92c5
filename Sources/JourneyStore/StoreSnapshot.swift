import JourneyModel
import LMDB

/// A consistent view of the log at its committed head, valid inside `EventStore.read`.
///
/// Everything it hands out is either copied or valid only inside the closure it is given to.
public struct StoreSnapshot: ~Copyable {
    package let store: EventStore
    let txn: Transaction
    /// The committed head at the moment the snapshot began.
    public let head: LogHead

    init(store: EventStore, txn: borrowing Transaction, head: LogHead) {
        self.store = store
        self.txn = txn.sharedHandle()
        self.head = head
    }

    /// A second handle on this same snapshot, for a `~Copyable` value that keeps one; it must not
    /// outlive the closure that received `self`.
    package func sharedHandle() -> StoreSnapshot { StoreSnapshot(store: store, txn: txn, head: head) }

    /// The event at `seq`, if committed.
    public func event(at seq: UInt64) throws -> StoredEvent? {
        guard seq >= 1 && seq <= head.seq else { return nil }
        return try StorageLayout.withSeqKey(seq) { k in
            try txn.withValue(store.events, key: k) { v in try v.flatMap { try store.storedEvent(seq: seq, $0, txn) } }
        }
    }

    /// The seqs of the codebook definitions (contract 4.1) up to `upto`, in log order.
    public func definitionSeqs(upto: UInt64) throws -> [UInt64] { try store.definitionSeqs(upto: min(upto, head.seq), txn) }

    /// Calls `body` for each committed event up to `upto`, in log order (events of forgotten
    /// participants included, marked `isForgotten`).
    public func forEachEvent(upto: UInt64? = nil, _ body: (StoredEvent) throws -> Void) throws {
        let last = min(upto ?? head.seq, head.seq)
        guard last >= 1 else { return }
        var opener = RecordOpener(store: store)
        try txn.withCursor(store.events) { cursor in
            var entry = try cursor.get(.first)
            while let (k, v) = entry {
                let seq = StorageLayout.readUInt64(k)
                if seq > last { break }
                guard let stored = try opener.storedEvent(seq: seq, v, txn) else { throw StoreError("record \(seq) is damaged (run journey verify)") }
                try body(stored)
                entry = try cursor.get(.next)
            }
        }
    }

    /// The seqs of one participant's committed events after `after` up to `upto`, ascending,
    /// from the participant index (no scan of the log).
    public func seqs(ofParticipant participant: String, after: UInt64 = 0, upto: UInt64? = nil, limit: Int = .max) throws -> [UInt64] {
        try generations().seqs(ofParticipant: participant, after: after, upto: min(upto ?? head.seq, head.seq), limit: limit, txn, store)
    }

    /// The seq up to which `journey cluster` copied every participant's records together
    /// (`EventStore.cluster`); 0 when there is no complete copy.
    package func clusteredUpto() throws -> UInt64 {
        guard store.journeys != nil else { return 0 }
        return try StorageLayout.clusteredKey.withUnsafeBytes { key in
            try txn.withValue(store.meta, key: key) { v in v.map { $0.count == 8 ? StorageLayout.readUInt64($0) : 0 } ?? 0 }
        }
    }

    /// Calls `body` with the seq and record of each of `participant`'s events in the clustered
    /// copy up to `upto` (at most `clusteredUpto()`), ascending: one seek, then neighbouring
    /// entries. The record is valid during the call only.
    package func forEachClusteredRecord(of participant: String, upto: UInt64,
                                        _ body: (UInt64, UnsafeRawBufferPointer) throws -> Void) throws {
        guard let journeys = store.journeys else { return }
        let prefix = StorageLayout.namePrefix(participant)
        try txn.withCursor(journeys) { cursor in
            var entry = try cursor.seek(prefix)
            while let (k, v) = entry, k.count == prefix.count + 8, k.starts(with: prefix) {
                let seq = StorageLayout.readUInt64(k, at: prefix.count)
                if seq > upto { return }
                try body(seq, v)
                entry = try cursor.get(.next)
            }
        }
    }

    /// One participant's committed events up to `upto`, in log order.
    public func events(ofParticipant participant: String, upto: UInt64? = nil) throws -> [StoredEvent] {
        try seqs(ofParticipant: participant, upto: upto).compactMap { try event(at: $0) }
    }

    /// Distinct participants with at least one committed event.
    public func participantCount() throws -> Int { try participants().count }

    /// Participants with an event at or before `upto` (default: the head), in byte order; one
    /// seek per participant, not a scan of their events.
    public func participants(upto: UInt64? = nil) throws -> [String] {
        try generations().participants(upto: min(upto ?? head.seq, head.seq), txn, store)
    }

    /// The seq of the committed event with id `id`, if there is one.
    public func seq(ofId id: String) throws -> UInt64? {
        var id = id
        let seq = try id.withUTF8 { try generations().seq(ofId: UnsafeRawBufferPointer($0), txn, store) }
        return seq.flatMap { $0 <= head.seq ? $0 : nil }
    }

    /// The index generations this snapshot reads.
    func generations() throws -> IndexGenerations { try IndexGenerations.current(txn, store) }

    /// True if `participant` has an event at or before `upto` (default: the head).
    public func hasParticipant(_ participant: String, upto: UInt64? = nil) throws -> Bool {
        try seqs(ofParticipant: participant, upto: upto, limit: 1).count == 1
    }

    /// Distinct institutions named by committed events (coded or mentioned).
    public func institutionCount() throws -> Int {
        try txn.withCursor(store.institutions) { cursor in
            var n = 0
            var entry = try cursor.get(.first)
            while let (_, v) = entry {
                if v.count == 8 && StorageLayout.readUInt64(v) <= head.seq { n += 1 }
                entry = try cursor.get(.next)
            }
            return n
        }
    }

    /// The last seq whose `appended` time is at or before `micros` (0 if none): the log as the
    /// team knew it at that instant.
    public func lastSeq(appendedAtOrBefore micros: Int64) throws -> UInt64 {
        var lo: UInt64 = 0
        var hi = head.seq
        while lo < hi {
            let mid = lo + (hi - lo + 1) / 2
            guard let e = try event(at: mid) else { throw StoreError("record \(mid) is missing (run journey verify)") }
            if e.appendedMicros <= micros { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}
