import Foundation
import JourneyModel
import LMDB

/// What `EventStore.cluster` did.
public struct ClusterReport: Sendable {
    /// Records copied together by participant.
    public let records: Int
    /// The log position the copy covers (the head when it ran).
    public let upto: UInt64
    /// Store size on disk before and after.
    public let bytesBefore: Int
    public let bytesAfter: Int
}

extension EventStore {
    /// Copies every participant's records next to each other (`journeys`, keyed by participant
    /// and seq, each record byte for byte as in `events`) up to the head, so that one journey is
    /// read with one seek over a few neighbouring pages instead of a search per event - as
    /// PostgreSQL's CLUSTER orders a table once. Events appended later are read by seq as
    /// before, until the next `cluster`. The store grows by about the size of its records.
    ///
    /// Holds the writer lock. The copy is rewritten whole in bounded transactions: the first
    /// marks it absent (readers then use `events` alone), the last marks it complete with the
    /// audit entry, so a run killed at any instant leaves a store that reads as before and the
    /// next run starts over. Nothing is decrypted: sealed records are copied sealed.
    ///
    /// The store must be open for writing. `chunk`: records per transaction;
    /// `testingStopAfterChunks` stops the run there, as a kill would.
    public func cluster(by: String, chunk: Int = 100_000, testingStopAfterChunks: Int? = nil) throws -> ClusterReport {
        let lock = try WriterLock(directory: directory, onWait: {})
        defer { withExtendedLifetime(lock) {} }
        let owed = try owedCompaction()
        guard owed.isEmpty else {
            throw StoreError("\(directory): a compaction is owed after journey forget (\(owed.joined(separator: ", "))); run journey forget --resume first")
        }
        try discardStaged()
        let before = sizeOnDisk()
        let (records, upto) = try writeClusteredCopy(by: by, chunk: max(1, chunk), stopAfterChunks: testingStopAfterChunks)
        return ClusterReport(records: records, upto: upto, bytesBefore: before, bytesAfter: sizeOnDisk())
    }

    private func writeClusteredCopy(by: String, chunk: Int, stopAfterChunks: Int?) throws -> (records: Int, upto: UInt64) {
        guard let journeys else { throw StoreError("\(directory): opened read-only; cannot cluster") }
        let (meta, events) = (self.meta, self.events)
        let head = try env.write { txn -> LogHead in
            try txn.put(meta, key: StorageLayout.clusteredKey, value: StorageLayout.seqKey(0))
            try txn.clear(journeys)
            return try Self.head(txn, meta)
        }
        // Each transaction merges the participant index's generations from just past the last
        // key written (participant, then seq: the copy's order) and appends the next `chunk`
        // records. Its closure changes nothing outside the transaction, so a full map reruns it.
        var last: [UInt8]? = nil, records = 0, chunks = 0
        while true {
            let (written, next) = try env.write { txn -> (Int, [UInt8]?) in
                let entries = try IndexGenerations.current(txn, self).participantEntries(after: last, limit: chunk, upto: head.seq, txn, self)
                var written = 0, lastKey = last
                var record: [UInt8] = []
                for (key, seq) in entries {
                    let found = try StorageLayout.withSeqKey(seq) { k in
                        try txn.withValue(events, key: k) { v -> Bool in
                            guard let v else { return false }
                            record.removeAll(keepingCapacity: true)
                            record.append(contentsOf: v)
                            return true
                        }
                    }
                    guard found else { throw StoreError("\(directory): record \(seq) is missing (run journey verify)") }
                    try key.withUnsafeBytes { k in
                        try record.withUnsafeBytes { v in _ = try txn.put(journeys, key: k, value: v, options: .append) }
                    }
                    lastKey = key
                    written += 1
                }
                return (written, lastKey)
            }
            records += written
            last = next
            chunks += 1
            if let stopAfterChunks, chunks >= stopAfterChunks { throw StoreError("testing: stopped after \(chunks) chunks") }
            if written < chunk { break }
        }
        try env.write { txn in
            try txn.put(meta, key: StorageLayout.clusteredKey, value: StorageLayout.seqKey(head.seq))
            try appendAudit(AuditRequest(action: "cluster", by: by, detail: ["records": String(records), "upto": String(head.seq)]),
                            logHead: head.seq, txn)
        }
        return (records, head.seq)
    }
}

extension IndexGenerations {
    /// The first `limit` participant index entries after `after` (all of them if nil) in key
    /// order - `namedSeqKey(participant, seq)`: by participant, then seq - over every
    /// generation, with seqs up to `upto`: each generation's next `limit` entries, merged. Once a
    /// generation has given `limit` entries, no later one is read past its last key (the first
    /// `limit` of the merge lie at or before it).
    func participantEntries(after: [UInt8]?, limit: Int, upto: UInt64, _ txn: borrowing Transaction,
                            _ store: EventStore) throws -> [(key: [UInt8], seq: UInt64)] {
        var runs: [[(key: [UInt8], seq: UInt64)]] = []
        var bound: [UInt8]?
        for g in list {
            let run: [(key: [UInt8], seq: UInt64)] = try txn.withCursor(try store.participantIndex(generation: g.number)) { cursor in
                var out: [(key: [UInt8], seq: UInt64)] = []
                var entry = try after.map { try cursor.seek($0) } ?? (try cursor.get(.first))
                while out.count < limit, let (k, _) = entry {
                    guard k.count > 9 else { throw StoreError("participant index key of \(k.count) bytes (run journey verify)") }
                    if let bound, bound.lexicographicallyPrecedes(k) { break }
                    let key = Array(k)
                    if key != after {
                        let seq = StorageLayout.readUInt64(k, at: k.count - 8)
                        if seq <= upto { out.append((key, seq)) }
                    }
                    entry = try cursor.get(.next)
                }
                return out
            }
            if run.count == limit, let last = run.last?.key, bound.map({ last.lexicographicallyPrecedes($0) }) ?? true { bound = last }
            if !run.isEmpty { runs.append(run) }
        }
        // The runs' heads merged (a generation holds each key once, generations none in common).
        var heads = [Int](repeating: 0, count: runs.count)
        var merged: [(key: [UInt8], seq: UInt64)] = []
        merged.reserveCapacity(min(limit, runs.reduce(0) { $0 + $1.count }))
        while merged.count < limit {
            var best: Int?
            for r in runs.indices where heads[r] < runs[r].count {
                if let b = best, !runs[r][heads[r]].key.lexicographicallyPrecedes(runs[b][heads[b]].key) { continue }
                best = r
            }
            guard let best else { break }
            merged.append(runs[best][heads[best]])
            heads[best] += 1
        }
        return merged
    }
}
