import Foundation
import JourneyModel
import LMDB
import Synchronization

/// The id-index and participant-index entries of events an import has staged but not yet
/// indexed, written in key order as a new index generation (`IndexGenerations`) when enough
/// have gathered and in the import's last transaction.
///
/// Ids and pseudonyms are spread over the key space, so the entries of one batch would land on
/// nearly every leaf page of an index. Gathered and kept in key order (each batch's ids sorted,
/// and merged in runs as batches arrive), they are written as one stream per index into a
/// generation of their own, appended (`MDB_APPEND`) page after page without searching - however
/// large the store already is.
///
/// The writer's thread flushes (inside its transaction, from the entries as they are: nothing
/// here changes until the transaction has committed, so a rerun after the map grew starts from
/// the same state) and then adds or forgets; the importer's thread looks ids up, always after
/// `BatchSink.drain()`, so the mutex only guards against misuse.
final class StagedIndexEntries: Sendable {
    /// The staged entries, and the generations this import's earlier flushes wrote (listed
    /// when the head moves).
    private let state: Mutex<(entries: Entries, pending: [IndexGenerations.Generation])>
    /// Flush once this many events are staged (bounds the memory the entries take).
    private let limit: Int
    private let partEntries: Int

    /// A flush is written in one transaction per `partEntries` entries (at most 16).
    init(limit: Int, partEntries: Int = 131_072) {
        self.limit = limit
        self.partEntries = partEntries
        state = Mutex((Entries(partEntries: partEntries), []))
    }

    /// The generations this import has written and not yet listed, in log order.
    var pendingGenerations: [IndexGenerations.Generation] { state.withLock { $0.pending } }

    /// The entries the transaction that writes `batch` must flush - every staged one and the
    /// batch's own - when it commits the import (`committing`) or enough have gathered; `nil`
    /// when the batch's entries are only to be staged. Changes nothing here: the transaction
    /// may run more than once (`Environment.write`), and what it flushed is forgotten only
    /// once it has committed (`committed`).
    func flush(with batch: PendingBatch, committing: Bool) -> Flush? {
        let (limit, partEntries) = (limit, partEntries)
        // The staged entries are shared, not copied (nothing changes them until the commit);
        // the batch's are sorted on their own and merged in as they are written.
        guard let staged = state.withLock({ committing || $0.entries.count + batch.count >= limit ? $0.entries : nil }) else { return nil }
        var own = Entries(partEntries: partEntries)
        own.add(batch)
        return Flush(staged: staged, batch: own)
    }

    /// Called once the transaction that wrote `batch` has committed: forgets the entries it
    /// flushed into `flushed` (kept as pending until `listed`), or stages the batch's.
    func committed(_ batch: PendingBatch, flushed: IndexGenerations.Generation?, listed: Bool) {
        let partEntries = partEntries
        state.withLock { state in
            if let flushed {
                state.entries = Entries(partEntries: partEntries)
                state.pending.append(flushed)
            } else if !listed {
                state.entries.add(batch)
            }
            if listed { state.pending = [] }
        }
    }

    /// The seq of a staged event with id `id`, if one has it.
    func seq(ofId id: String) -> UInt64? {
        state.withLock { $0.entries.seq(ofId: id) }
    }
}

extension StagedIndexEntries {
    /// Staged entries as a value: what a flush writes.
    struct Entries {
        /// The seq of the first staged event; staged events have consecutive seqs, so the event
        /// at index `i` below has seq `firstSeq + i`.
        fileprivate private(set) var firstSeq: UInt64 = 0
        /// The staged events' ids (UTF-8, one after another) and where each ends.
        fileprivate private(set) var idBytes: [UInt8] = []
        fileprivate private(set) var idEnds: [Int] = []
        /// Every staged event's index in sorted runs: each batch's are sorted on their own and
        /// merged with the runs before while those are no more than twice as long (so an event
        /// is merged about log(batches) times, not once per later batch); a flush merges the
        /// few runs left (`sortedByID`), lookups search each.
        fileprivate private(set) var runs: [[Int32]] = []
        /// Pseudonyms of the staged events, numbered, and each one's seqs in ascending order.
        fileprivate private(set) var participants = StringNumbering(capacity: 1024)
        fileprivate private(set) var seqsOfParticipant: [[UInt64]] = []
        /// Events staged.
        private(set) var count = 0
        /// Entries per transaction of a flush (`parts`).
        fileprivate let partEntries: Int

        init(partEntries: Int) {
            self.partEntries = partEntries
        }

        /// Takes over the id and participant entries of `batch`, and sorts its ids.
        mutating func add(_ batch: PendingBatch) {
            if count == 0 { firstSeq = batch.firstSeq }
            precondition(batch.firstSeq == firstSeq + UInt64(count), "staged batches must have consecutive seqs")
            let offset = idBytes.count, first = count
            idBytes.append(contentsOf: batch.idBytes)
            idEnds.append(contentsOf: batch.idEnds.lazy.map { $0 + offset })
            var order = (Int32(first)..<Int32(first + batch.count)).map { $0 }
            let ends = idEnds  // a local: the stored array would be checked for exclusive access on every read
            var runs = self.runs
            self.runs = []
            idBytes.withUnsafeBytes { all in
                order.sort { a, b in StagedIndexEntries.compare(StagedIndexEntries.id(a, all, ends), StagedIndexEntries.id(b, all, ends)) < 0 }
                runs.append(order)
                while runs.count >= 2 && runs[runs.count - 2].count <= 2 * runs[runs.count - 1].count {
                    let last = runs.removeLast()
                    runs[runs.count - 1] = StagedIndexEntries.merge(runs[runs.count - 1], last, all, ends)
                }
            }
            self.runs = runs
            for (n, name) in batch.participants.names.enumerated() {
                let g = participants.number(name)
                if g == seqsOfParticipant.count {
                    seqsOfParticipant.append(batch.seqsOfParticipant[n])
                } else {
                    seqsOfParticipant[g].append(contentsOf: batch.seqsOfParticipant[n])
                }
            }
            count += batch.count
        }

        /// The seq of a staged event with id `id`, if one has it.
        func seq(ofId id: String) -> UInt64? {
            var id = id
            return id.withUTF8 { raw in
                let key = UnsafeRawBufferPointer(raw)
                let (ends, runs) = (idEnds, runs)
                return idBytes.withUnsafeBytes { all -> UInt64? in
                    for sorted in runs {
                        var lo = 0, hi = sorted.count
                        while lo < hi {
                            let mid = (lo + hi) / 2
                            let c = StagedIndexEntries.compare(StagedIndexEntries.id(sorted[mid], all, ends), key)
                            if c == 0 { return firstSeq + UInt64(sorted[mid]) }
                            if c < 0 { lo = mid + 1 } else { hi = mid }
                        }
                    }
                    return nil
                }
            }
        }

        /// Every staged event's index, sorted by id (the runs merged).
        func sortedByID() -> [Int32] {
            var runs = runs
            let ends = idEnds
            idBytes.withUnsafeBytes { all in
                while runs.count >= 2 {
                    let last = runs.removeLast()
                    runs[runs.count - 1] = StagedIndexEntries.merge(runs[runs.count - 1], last, all, ends)
                }
            }
            return runs.first ?? []
        }
    }

    /// What one flush writes: the staged entries and those of the batch whose transaction
    /// writes them, each sorted, merged as they are written (neither is copied).
    struct Flush {
        let staged: Entries
        let batch: Entries
        /// Each one's event indices, sorted by id.
        private let stagedSorted: [Int32]
        private let batchSorted: [Int32]
        /// Every participant of either, in byte order, with its index in each (or -1).
        private let participantOrder: [(name: String, staged: Int, batch: Int)]

        init(staged: Entries, batch: Entries) {
            self.staged = staged
            self.batch = batch
            stagedSorted = staged.sortedByID()
            batchSorted = batch.sortedByID()
            var order: [(name: String, staged: Int, batch: Int)] = staged.participants.names.enumerated().map { ($1, $0, -1) }
            for (n, name) in batch.participants.names.enumerated() {
                if let g = staged.participants.existingNumber(name) { order[g].batch = n } else { order.append((name, -1, n)) }
            }
            order.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
            participantOrder = order
        }

        /// How many transactions the flush is written in: each writes one range of both key
        /// spaces, so the pages it makes dirty (LMDB keeps them in memory until the commit) stay
        /// bounded.
        var parts: Int { max(1, min(16, (staged.count + batch.count) / staged.partEntries)) }

        /// True when there is nothing to write.
        var isEmpty: Bool { staged.count + batch.count == 0 }

        /// The generation the flush makes, numbered `number`: it covers up to the last entry's seq.
        func generation(_ number: UInt32) -> IndexGenerations.Generation {
            let last = batch.count > 0 ? batch.firstSeq + UInt64(batch.count) - 1 : staged.firstSeq + UInt64(staged.count) - 1
            return IndexGenerations.Generation(number: number, lastSeq: last)
        }

        /// The id filter of the generation the flush makes (`GenerationFilter`).
        func filter() -> [UInt8] {
            var filter = GenerationFilter(capacity: staged.count + batch.count)
            for entries in [staged, batch] {
                entries.idBytes.withUnsafeBytes { all in
                    for i in 0..<entries.count { filter.insert(hash: GenerationFilter.hash(StagedIndexEntries.id(Int32(i), all, entries.idEnds))) }
                }
            }
            return filter.encoded
        }

        /// Writes part `part` of `parts` - a range of the ids and of the participants, each in
        /// key order - to index generation `number` (new: every key is appended). Changes
        /// nothing outside the transaction, so it may run again after the map grew.
        func write(_ txn: borrowing Transaction, store: EventStore, generation number: UInt32, part: Int = 0, of parts: Int = 1) throws {
            guard !isEmpty else { return }
            try writeIds(txn, store: store, generation: number, part: part, of: parts)
            // Dropped from the map before the participant index's pages are read (as for batches).
            store.env.releaseMappedPages()
            try writeParticipants(txn, store: store, generation: number, part: part, of: parts)
        }

        /// The `part`-th of `parts` nearly equal ranges of `0..<count`.
        private static func share(_ part: Int, of parts: Int, _ count: Int) -> Range<Int> {
            (part * count / parts)..<((part + 1) * count / parts)
        }

        /// The ids of one part in key order: a range of the staged ones, and the batch's ids from
        /// the first staged key of the part up to the first of the next (the batch's all, when
        /// nothing is staged).
        private func writeIds(_ txn: borrowing Transaction, store: EventStore, generation number: UInt32, part: Int, of parts: Int) throws {
            let (a, b) = (staged, batch)
            try a.idBytes.withUnsafeBytes { aAll in
                try b.idBytes.withUnsafeBytes { bAll in
                    let (aEnds, bEnds, aSorted, bSorted) = (a.idEnds, b.idEnds, stagedSorted, batchSorted)
                    let aRange = Self.share(part, of: parts, aSorted.count)
                    // The batch's share: keys from this part's first staged key (or the start)
                    // to the next part's first staged key (or the end).
                    func lowerBound(_ key: UnsafeRawBufferPointer) -> Int {
                        var lo = 0, hi = bSorted.count
                        while lo < hi {
                            let mid = (lo + hi) / 2
                            if StagedIndexEntries.compare(StagedIndexEntries.id(bSorted[mid], bAll, bEnds), key) < 0 { lo = mid + 1 } else { hi = mid }
                        }
                        return lo
                    }
                    let bRange: Range<Int>
                    if aSorted.isEmpty {
                        bRange = Self.share(part, of: parts, bSorted.count)
                    } else {
                        let start = part == 0 ? 0 : lowerBound(StagedIndexEntries.id(aSorted[aRange.lowerBound], aAll, aEnds))
                        let end = part == parts - 1 ? bSorted.count : lowerBound(StagedIndexEntries.id(aSorted[aRange.upperBound], aAll, aEnds))
                        bRange = start..<end
                    }
                    try txn.withCursor(try store.idIndex(generation: number)) { cursor in
                        var i = aRange.lowerBound, j = bRange.lowerBound
                        while i < aRange.upperBound || j < bRange.upperBound {
                            let takeA: Bool
                            if i == aRange.upperBound {
                                takeA = false
                            } else if j == bRange.upperBound {
                                takeA = true
                            } else {
                                takeA = StagedIndexEntries.compare(StagedIndexEntries.id(aSorted[i], aAll, aEnds),
                                                                   StagedIndexEntries.id(bSorted[j], bAll, bEnds)) <= 0
                            }
                            let (id, seq) = takeA
                                ? (StagedIndexEntries.id(aSorted[i], aAll, aEnds), a.firstSeq + UInt64(aSorted[i]))
                                : (StagedIndexEntries.id(bSorted[j], bAll, bEnds), b.firstSeq + UInt64(bSorted[j]))
                            if takeA { i += 1 } else { j += 1 }
                            let ok = try StorageLayout.withSeqKey(seq) { v in try cursor.put(key: id, value: v, options: .append) }
                            guard ok else { throw StoreError("\(store.directory): id \"\(String(decoding: id, as: UTF8.self))\" is indexed twice") }
                        }
                    }
                }
            }
        }

        /// The participants of one part in byte order, each one's seqs ascending (the staged
        /// ones come before the batch's): the index's key order.
        private func writeParticipants(_ txn: borrowing Transaction, store: EventStore, generation number: UInt32, part: Int, of parts: Int) throws {
            let (order, aSeqs, bSeqs) = (participantOrder, staged.seqsOfParticipant, batch.seqsOfParticipant)
            try txn.withCursor(try store.participantIndex(generation: number)) { cursor in
                for (name, a, b) in order[Self.share(part, of: parts, order.count)] {
                    var key = StorageLayout.namedSeqKey(name, 0)
                    let seqOffset = key.count - 8
                    try key.withUnsafeMutableBytes { k in
                        // The staged seqs, then the batch's (all later), without joining them.
                        for half in 0..<2 {
                            let seqs = half == 0 ? (a < 0 ? [] : aSeqs[a]) : (b < 0 ? [] : bSeqs[b])
                            for seq in seqs {
                                k.storeBytes(of: seq.bigEndian, toByteOffset: seqOffset, as: UInt64.self)
                                let ok = try cursor.put(key: UnsafeRawBufferPointer(k), value: UnsafeRawBufferPointer(start: nil, count: 0),
                                                        options: .append)
                                guard ok else { throw StoreError("\(store.directory): participant index entries out of key order at \"\(name)\", seq \(seq)") }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The id of staged event `index`, in the staged ids `all` that end at `ends`.
    @inline(__always)
    fileprivate static func id(_ index: Int32, _ all: UnsafeRawBufferPointer, _ ends: [Int]) -> UnsafeRawBufferPointer {
        let i = Int(index)
        return UnsafeRawBufferPointer(rebasing: all[(i == 0 ? 0 : ends[i - 1])..<ends[i]])
    }

    /// Two lists of staged event indices, each sorted by id, merged into one.
    fileprivate static func merge(_ a: [Int32], _ b: [Int32], _ all: UnsafeRawBufferPointer, _ ends: [Int]) -> [Int32] {
        [Int32](unsafeUninitializedCapacity: a.count + b.count) { out, count in
            var i = 0, j = 0, k = 0
            while i < a.count && j < b.count {
                if compare(id(b[j], all, ends), id(a[i], all, ends)) < 0 {
                    out[k] = b[j]
                    j += 1
                } else {
                    out[k] = a[i]
                    i += 1
                }
                k += 1
            }
            while i < a.count { out[k] = a[i]; i += 1; k += 1 }
            while j < b.count { out[k] = b[j]; j += 1; k += 1 }
            count = k
        }
    }

    /// Byte order (`memcmp`, then length), the order of LMDB's keys.
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        if n > 0 {
            let c = memcmp(a.baseAddress!, b.baseAddress!, n)
            if c != 0 { return Int(c) }
        }
        return a.count - b.count
    }
}
