import JourneyModel
import JourneyStore
import LMDB

/// The persisted state of the projection engine, kept in the store's own LMDB environment.
///
/// Projections are folds over the log; what a fold needs beyond the log and its indexes is
/// which events were retracted (and when) and which events coded each institution. This state
/// is kept with a checkpoint (the last seq applied): after an import only the new events are
/// applied (`catchUp`), and `rebuild` makes it anew from the whole log. Both give the same
/// bytes, which the property tests check. Because retractions are kept with the seq that made
/// them, every projection can be read as of any earlier log position.
///
/// Databases (see `Schemas/STORAGE.md`): `projection-meta` (`checkpoint` -> seq),
/// `projection-retractions` (target seq -> first retracting seq), `projection-codings`
/// (institution id || 0 || seq of an `institution.coded` event -> empty).
public struct ProjectionState: Sendable {
    /// The store whose log this state follows.
    public let store: EventStore
    let meta: Database
    let retractions: Database
    let codings: Database
    /// Decoders for this state's views (`DecoderPool`).
    let decoders = DecoderPool()

    static let checkpointKey = Array("checkpoint".utf8)

    /// Opens (creating if the store is writable) the projection databases of `store`.
    public init(store: EventStore) throws {
        self.store = store
        if let m = try store.env.existingDatabase("projection-meta"),
           let r = try store.env.existingDatabase("projection-retractions"),
           let c = try store.env.existingDatabase("projection-codings") {
            (meta, retractions, codings) = (m, r, c)
        } else if store.isReadOnly {
            throw StoreError("\(store.directory): projections have not been built yet (open the store writable)")
        } else {
            meta = try store.env.openDatabase("projection-meta")
            retractions = try store.env.openDatabase("projection-retractions")
            codings = try store.env.openDatabase("projection-codings")
        }
    }

    /// The last seq applied to the state.
    public func checkpoint() throws -> UInt64 {
        try store.env.read { txn in try Self.checkpoint(txn, meta) }
    }

    static func checkpoint(_ txn: borrowing Transaction, _ meta: Database) throws -> UInt64 {
        guard let v = try txn.value(meta, key: checkpointKey), v.count == 8 else { return 0 }
        return v.withUnsafeBytes { StorageLayout.readUInt64($0) }
    }

    /// Applies every committed event after the checkpoint; returns how many were applied.
    /// Safe to run from several processes: the checkpoint is read inside the write transaction.
    @discardableResult
    public func catchUp() throws -> Int {
        guard !store.isReadOnly else { return 0 }
        // Nothing new: answer from a read snapshot, without taking the writer's lock.
        let behind = try store.env.read { txn in try Self.checkpoint(txn, meta) < EventStore.head(txn, store.meta).seq }
        guard behind else { return 0 }
        return try store.env.write { txn in
            let from = try Self.checkpoint(txn, meta) + 1
            let head = try EventStore.head(txn, store.meta).seq
            guard from <= head else { return 0 }
            try apply(from: from, upto: head, txn)
            try txn.put(meta, key: Self.checkpointKey, value: StorageLayout.seqKey(head))
            return Int(head - from + 1)
        }
    }

    /// Clears the state and applies the whole log again.
    public func rebuild() throws {
        guard !store.isReadOnly else { throw StoreError("\(store.directory): opened read-only; cannot rebuild projections") }
        try store.env.write { txn in
            try txn.clear(meta)
            try txn.clear(retractions)
            try txn.clear(codings)
            let head = try EventStore.head(txn, store.meta).seq
            if head > 0 { try apply(from: 1, upto: head, txn) }
            try txn.put(meta, key: Self.checkpointKey, value: StorageLayout.seqKey(head))
        }
    }

    /// The fold step: only retractions and codings change the state; every other event is
    /// already reachable through the log's participant index.
    private func apply(from: UInt64, upto: UInt64, _ txn: borrowing Transaction) throws {
        var opener = RecordOpener(store: store)
        let decoder = StoredEventDecoder()
        try txn.withCursor(store.events) { cursor in
            var entry = try cursor.seek(StorageLayout.seqKey(from))
            while let (k, v) = entry {
                let seq = StorageLayout.readUInt64(k)
                if seq > upto { break }
                let type = v.count > 1 ? v[1] : 0
                if type == EventType.eventRetracted.rawValue || type == EventType.institutionCoded.rawValue {
                    // A forgotten participant's retractions cannot be read; nothing of theirs can.
                    let parsed: Event? = try opener.withJSON(seq: seq, v, txn) { json in
                        try json.map { try decoder.decode(seq: seq, type: type, $0) }
                    }
                    guard let event = parsed else {
                        entry = try cursor.get(.next)
                        continue
                    }
                    switch event.payload {
                    case .retracted(let r):
                        guard let target = try store.indexedSeq(ofId: r.event, txn).map(StorageLayout.seqKey) else {
                            throw StoreError("record \(seq) retracts \"\(r.event)\", which is not in the id index (run journey verify)")
                        }
                        // The first retraction counts; later ones change nothing.
                        try txn.put(retractions, key: target, value: StorageLayout.seqKey(seq), options: .noOverwrite)
                    case .institutionCoded(let c):
                        try txn.put(codings, key: StorageLayout.namedSeqKey(store.institutionKey(c.institution), seq), value: [])
                    default:
                        break
                    }
                }
                entry = try cursor.get(.next)
            }
        }
    }

    /// A snapshot of everything as of log position `upto` (default: the head).
    public func view<R>(upto: UInt64? = nil, _ body: (borrowing ProjectionView) throws -> R) throws -> R {
        try view(upto: upto, records: nil, body)
    }

    /// `view(upto:)` whose events are found in `records` (listed in a snapshot that stays open
    /// meanwhile): the whole-cohort runs' fast path.
    package func view<R>(upto: UInt64?, records: RecordTable?, _ body: (borrowing ProjectionView) throws -> R) throws -> R {
        try store.read { snapshot in
            let s = min(upto ?? snapshot.head.seq, snapshot.head.seq)
            let view = try ProjectionView(state: self, snapshot: snapshot, upto: s, records: records)
            return try body(view)
        }
    }

    /// A digest of the state (for comparing a rebuild with catch-ups).
    public func contents() throws -> [[UInt8]] {
        try store.env.read { txn in
            var out: [[UInt8]] = []
            for db in [meta, retractions, codings] {
                try txn.withCursor(db) { cursor in
                    var entry = try cursor.get(.first)
                    while let (k, v) = entry {
                        out.append(Array(k) + [0xFF] + Array(v))
                        entry = try cursor.get(.next)
                    }
                }
                out.append([])
            }
            return out
        }
    }
}
