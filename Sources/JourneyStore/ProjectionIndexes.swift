import JourneyModel
import LMDB

/// What the projections need beyond the log and its indexes, kept in the store's environment
/// with a checkpoint: which events were retracted (and by which seq) and which events coded each
/// institution (`Schemas/STORAGE.md`, "Projection state"). After an import only the new events
/// are applied (`catchUp`); `rebuild` makes it anew from the whole log; both give the same bytes.
/// Because retractions are kept with the seq that made them, every projection can be read as of
/// any earlier log position.
///
/// Databases: `projection-meta` (`checkpoint` -> seq), `projection-retractions` (target seq ->
/// first retracting seq), `projection-codings` (institution index key || 0 || seq of an
/// `institution.coded` event -> empty).
public struct ProjectionIndexes: Sendable {
    /// The store whose log this state follows.
    public let store: EventStore
    let meta: Database
    let retractions: Database
    let codings: Database

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
                if type == EventType.eventRetracted.rawValue || type == EventType.institutionCoded.rawValue
                    || type == EventType.institutionAgreed.rawValue {
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
                    case .institutionCoded(let c), .institutionAgreed(let c):
                        try txn.put(codings, key: StorageLayout.namedSeqKey(store.institutionKey(c.institution), seq), value: [])
                    default:
                        break
                    }
                }
                entry = try cursor.get(.next)
            }
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

// MARK: - Reading in a snapshot

extension StoreSnapshot {
    /// The seq of the retraction of event `seq`, if it was retracted by `upto`.
    package func retraction(of seq: UInt64, upto: UInt64, in indexes: ProjectionIndexes) throws -> UInt64? {
        let by: UInt64? = try StorageLayout.withSeqKey(seq) { k in
            try txn.withValue(indexes.retractions, key: k) { v in v.map { StorageLayout.readUInt64($0) } }
        }
        guard let by, by <= upto else { return nil }
        return by
    }

    /// Every retracted seq -> the seq of its retraction, for retractions made by `upto`.
    package func retractions(upto: UInt64, in indexes: ProjectionIndexes) throws -> [UInt64: UInt64] {
        var all: [UInt64: UInt64] = [:]
        try txn.withCursor(indexes.retractions) { cursor in
            var entry = try cursor.get(.first)
            while let (k, v) = entry {
                let by = StorageLayout.readUInt64(v)
                if by <= upto { all[StorageLayout.readUInt64(k)] = by }
                entry = try cursor.get(.next)
            }
        }
        return all
    }

    /// The `institution.coded` events up to `upto`: their seqs, each with its institution's
    /// index key (blinded in an encrypted store), in key order.
    package func codingSeqs(upto: UInt64, in indexes: ProjectionIndexes) throws -> [(institutionKey: String, seq: UInt64)] {
        try txn.withCursor(indexes.codings) { cursor in
            var out: [(institutionKey: String, seq: UInt64)] = []
            var entry = try cursor.get(.first)
            while let (k, _) = entry {
                let seq = StorageLayout.readUInt64(k, at: k.count - 8)
                if seq <= upto { out.append((String(decoding: k[0..<(k.count - 9)], as: UTF8.self), seq)) }
                entry = try cursor.get(.next)
            }
            return out
        }
    }
}
