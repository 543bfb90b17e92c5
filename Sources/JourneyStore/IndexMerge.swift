import JourneyModel
import LMDB

/// Keeps the number of index generations logarithmic in the log's size: once `fanIn`
/// generations of one size class (or smaller) are the newest, they are merged into one
/// (a Bentley-Saxe / size-tiered scheme: each entry is rewritten about log_fanIn(N) times, always
/// appended, never inserted into a large tree).
///
/// A merge writes the new generation in bounded transactions, lists it in place of its sources
/// in one transaction, and then empties the sources' databases (freeing their pages whole).
/// Killed at any point, the store reads the same: a generation is read only while listed, and
/// the next writer empties whatever is not (`dropUnlistedGenerations`).
enum IndexMerge {
    /// How many generations of one size class are merged.
    static let fanIn = 4
    /// Generations up to this many events are of the smallest class.
    static let smallestClass: UInt64 = 4096
    /// Entries written per transaction (bounds the pages one transaction keeps dirty).
    static let entriesPerTransaction = 1 << 20

    /// The size class of a generation of `events` events: log_fanIn(events / smallestClass).
    static func sizeClass(_ events: UInt64) -> Int {
        var n = events / smallestClass, c = 0
        while n >= UInt64(fanIn) { n /= UInt64(fanIn); c += 1 }
        return c
    }

    /// The newest generations to merge now, if any: the longest run of newest generations no
    /// larger in class than the newest one, when it is at least `fanIn` long - or the newest
    /// `fanIn` when few free generation numbers are left.
    static func due(_ generations: IndexGenerations) -> Range<Int>? {
        let list = generations.list
        guard let last = list.indices.last else { return nil }
        let size = { (i: Int) in list[i].lastSeq - generations.firstSeq(at: i) + 1 }
        let limit = sizeClass(size(last))
        var start = last
        while start > 0 && sizeClass(size(start - 1)) <= limit { start -= 1 }
        if last - start + 1 >= fanIn { return start..<(last + 1) }
        if list.count + fanIn > Int(StorageLayout.generationSlots) / 2 { return (list.count - fanIn)..<list.count }
        return nil
    }
}

extension EventStore {
    /// Merges index generations while a merge is due (`IndexMerge.due`). Returns how many
    /// merges ran. Callers hold the writer lock and have emptied the generations not listed
    /// (`dropUnlistedGenerations`; an import does as it begins): a merged generation is written
    /// into empty databases, its copy resuming from what they hold; each merge empties its
    /// sources once it has listed the merged generation.
    ///
    /// Tests: `entriesPerTransaction` makes merges of a few entries take several transactions,
    /// and `stopAfter` stops (as a kill would) once that many of its transactions have committed.
    @discardableResult
    func mergeIndexGenerations(entriesPerTransaction: Int = IndexMerge.entriesPerTransaction, stopAfter: Int? = nil) throws -> Int {
        var committed = 0
        let directory = directory
        /// Counts a committed transaction; stops when the test asked for it.
        func count() throws {
            committed += 1
            if let stopAfter, committed >= stopAfter { throw StoreError("\(directory): merge stopped after \(stopAfter) transactions (a test)") }
        }
        var merges = 0
        while true {
            let listed = try env.read { txn in try IndexGenerations.current(txn, self) }
            guard let range = IndexMerge.due(listed) else { return merges }
            let sources = Array(listed.list[range])
            let merged = IndexGenerations.Generation(number: try listed.freeNumber(self), lastSeq: sources.last!.lastSeq)
            let seqs = listed.firstSeq(at: range.lowerBound)...merged.lastSeq
            var filter = GenerationFilter(capacity: Int(seqs.count))
            try copyMerged(sources, into: try idIndex(generation: merged.number), seqs: seqs, filter: &filter, perTransaction: entriesPerTransaction, committed: count)
            try copyMerged(sources, into: try participantIndex(generation: merged.number), seqs: seqs, filter: nil, perTransaction: entriesPerTransaction, committed: count)
            let filterBytes = filter.encoded
            try env.write { txn in
                var current = try IndexGenerations.current(txn, self)
                guard current == listed else { throw StoreError("\(directory): the index generations changed during a merge") }
                current.replace(range, with: merged)
                try current.write(txn, self)
                try txn.put(meta, key: StorageLayout.filterKey(merged.number), value: filterBytes)
            }
            try count()
            try dropUnlistedGenerations()
            try count()
            merges += 1
        }
    }

    /// Writes the entries of `sources` into `target` (empty, or holding what an earlier
    /// transaction of this merge wrote), in key order, in bounded transactions: the id index,
    /// adding each id to `filter` once its transaction has committed, or (`filter` nil) the
    /// participant index. Each transaction resumes after the target's last key, so a rerun after
    /// the map grew starts from the same place.
    private func copyMerged(_ sources: [IndexGenerations.Generation], into target: Database, seqs: ClosedRange<UInt64>,
                            filter: UnsafeMutablePointer<GenerationFilter>?, perTransaction: Int, committed: () throws -> Void) throws {
        let participants = filter == nil
        let dbs = try sources.map { participants ? try participantIndex(generation: $0.number) : try idIndex(generation: $0.number) }
        let directory = directory
        while true {
            let (done, hashes) = try env.write { txn -> (Bool, [UInt64]) in
                // The hashes of the ids written, for the filter after the commit.
                var hashes: [UInt64] = []
                // Where the last transaction stopped: the target's last key.
                let after: [UInt8]? = try txn.withCursor(target) { cursor in try cursor.get(.last).map { Array($0.key) } }
                return try txn.withCursors(dbs + [target]) { cursors in
                    let out = dbs.count
                    // Each source's current key and value, copied out of the map (the appends
                    // below may move pages); `live[i]` false once source `i` has no more.
                    var keys = [[UInt8]](repeating: [], count: dbs.count)
                    var values = [[UInt8]](repeating: [], count: dbs.count)
                    var live = [Bool](repeating: false, count: dbs.count)
                    func take(_ i: Int, _ entry: (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)?) {
                        guard let (k, v) = entry else { live[i] = false; return }
                        live[i] = true
                        keys[i].removeAll(keepingCapacity: true)
                        keys[i].append(contentsOf: k)
                        values[i].removeAll(keepingCapacity: true)
                        values[i].append(contentsOf: v)
                    }
                    for i in dbs.indices {
                        if let after {
                            var entry = try after.withUnsafeBytes { try cursors.seek(i, $0) }
                            if let (k, _) = entry, k.elementsEqual(after) { entry = try cursors.get(i, .next) }
                            take(i, entry)
                        } else {
                            take(i, try cursors.get(i, .first))
                        }
                    }
                    var written = 0
                    while written < perTransaction {
                        // The smallest key among the sources (keys are unique across them).
                        var best = -1
                        for i in dbs.indices where live[i] {
                            if best < 0 || IndexMerge.compare(keys[i], keys[best]) < 0 { best = i }
                        }
                        guard best >= 0 else { return (true, hashes) }
                        let seq: UInt64 = participants
                            ? keys[best].withUnsafeBytes { $0.count >= 8 ? StorageLayout.readUInt64($0, at: $0.count - 8) : 0 }
                            : values[best].withUnsafeBytes { $0.count == 8 ? StorageLayout.readUInt64($0) : 0 }
                        // Entries outside the generations' seqs (left in generation 0 by an
                        // import killed before generations existed) are not carried over.
                        if seqs.contains(seq) {
                            let ok = try keys[best].withUnsafeBytes { k in
                                try values[best].withUnsafeBytes { v in try cursors.put(out, key: k, value: v, options: .append) }
                            }
                            guard ok else { throw StoreError("\(directory): index key out of order while merging generations") }
                            if !participants { hashes.append(keys[best].withUnsafeBytes { GenerationFilter.hash($0) }) }
                            written += 1
                        }
                        take(best, try cursors.get(best, .next))
                    }
                    return (false, hashes)
                }
            }
            if let filter { for hash in hashes { filter.pointee.insert(hash: hash) } }
            try committed()
            if done { return }
        }
    }

    /// Empties the databases of every generation that is not listed - one an import or a merge
    /// wrote and did not list, or the sources of a merge - and deletes their filters. Generation
    /// 0 (`ids`, `participants`) is emptied only once a generations record exists that does not
    /// list it (without one it is the store's only generation). Callers hold the writer lock.
    func dropUnlistedGenerations() throws {
        let (listed, explicit) = try env.read { txn in
            (Set(try IndexGenerations.current(txn, self).list.map(\.number)),
             try txn.value(meta, key: StorageLayout.generationsKey) != nil)
        }
        var unlisted = (1...StorageLayout.generationSlots).filter { !listed.contains($0) }
        if explicit && !listed.contains(0) { unlisted.insert(0, at: 0) }
        let databases = try unlisted.flatMap { [try idIndex(generation: $0), try participantIndex(generation: $0)] }
        let (metaDB, prefix) = (meta, StorageLayout.filterKeyPrefix)
        let (nonEmpty, filters) = try env.read { txn in
            let nonEmpty = try databases.filter { db in try txn.withCursor(db) { try $0.get(.first) != nil } }
            let filters: [[UInt8]] = try txn.withCursor(metaDB) { cursor in
                var out: [[UInt8]] = []
                var entry = try cursor.seek(prefix)
                while let (k, _) = entry, k.starts(with: prefix) {
                    if k.count != prefix.count + 4 || !listed.contains(StorageLayout.readUInt32(k, at: k.count - 4)) { out.append(Array(k)) }
                    entry = try cursor.get(.next)
                }
                return out
            }
            return (nonEmpty, filters)
        }
        guard !nonEmpty.isEmpty || !filters.isEmpty else { return }
        try env.write { txn in
            for db in nonEmpty { try txn.clear(db) }
            for key in filters { try txn.delete(metaDB, key: key) }
        }
    }
}

extension IndexMerge {
    /// Byte order of two keys (`memcmp`, then length), the order of LMDB's keys.
    static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBytes { a in b.withUnsafeBytes { b in StagedIndexEntries.compare(a, b) } }
    }
}
