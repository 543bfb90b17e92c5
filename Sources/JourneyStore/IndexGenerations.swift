import JourneyModel
import LMDB

/// The id and participant indexes as a list of generations, each covering a contiguous range
/// of seqs in log order (`Schemas/STORAGE.md`, "Index generations").
///
/// Ids and pseudonyms spread over the whole key space, so adding a million entries to one large
/// tree rewrote nearly every leaf page of it: an import's cost grew with the store. Each flush of
/// an import writes a generation of its own instead, into empty databases, so it is appended page
/// by page whatever the store's size; `IndexMerge` merges the newest generations once enough of
/// one size have gathered, which keeps their number logarithmic in the store's size.
///
/// Generation 0 is the `ids` and `participants` databases of a `journeystore/1` store; generation
/// `n` (1...`StorageLayout.generationSlots`) is `ids.n` and `participants.n`, with the same keys.
/// A generation merged away is emptied (its pages freed at once) and its number used again.
struct IndexGenerations: Equatable, Sendable {
    /// One generation: its number and the last seq it covers (it begins after the one before).
    struct Generation: Equatable, Sendable {
        let number: UInt32
        let lastSeq: UInt64
    }

    /// In log order.
    private(set) var list: [Generation]

    init(_ list: [Generation]) { self.list = list }

    /// The generations of the store as of `txn`. A store without the meta entry (written as
    /// `journeystore/1`) has one: generation 0, covering the whole log.
    static func current(_ txn: borrowing Transaction, _ store: EventStore) throws -> IndexGenerations {
        let stored: IndexGenerations? = try StorageLayout.generationsKey.withUnsafeBytes { key in
            try txn.withValue(store.meta, key: key) { value in
                guard let value else { return nil }
                guard let decoded = IndexGenerations(decoding: value) else {
                    throw StoreError("\(store.directory): the index generations record is damaged (run journey verify)")
                }
                return decoded
            }
        }
        if let stored { return stored }
        let head = try EventStore.head(txn, store.meta)
        return IndexGenerations(head.seq == 0 ? [] : [Generation(number: 0, lastSeq: head.seq)])
    }

    /// Encoded as 12 bytes per generation: number (4, BE), last seq (8, BE).
    var encoded: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(list.count * 12)
        for g in list {
            StorageLayout.appendUInt32(g.number, to: &out)
            StorageLayout.appendUInt64(g.lastSeq, to: &out)
        }
        return out
    }

    init?(decoding bytes: UnsafeRawBufferPointer) {
        guard bytes.count % 12 == 0 else { return nil }
        var list: [Generation] = []
        var previous: UInt64 = 0
        var numbers: Set<UInt32> = []
        for offset in stride(from: 0, to: bytes.count, by: 12) {
            let g = Generation(number: StorageLayout.readUInt32(bytes, at: offset), lastSeq: StorageLayout.readUInt64(bytes, at: offset + 4))
            guard g.lastSeq > previous, g.number <= StorageLayout.generationSlots, numbers.insert(g.number).inserted else { return nil }
            previous = g.lastSeq
            list.append(g)
        }
        self.list = list
    }

    /// Writes the list to `meta` in `txn`.
    func write(_ txn: borrowing Transaction, _ store: EventStore) throws {
        try txn.put(store.meta, key: StorageLayout.generationsKey, value: encoded)
    }

    /// Appends generations (an import's flushes, in order).
    mutating func append(_ generations: [Generation]) { list.append(contentsOf: generations) }

    /// Replaces the generations at `range` by `merged`.
    mutating func replace(_ range: Range<Int>, with merged: Generation) { list.replaceSubrange(range, with: [merged]) }

    /// The first seq of the generation at `index`.
    func firstSeq(at index: Int) -> UInt64 { index == 0 ? 1 : list[index - 1].lastSeq + 1 }

    /// The index of the generation covering `seq`, if one does.
    func index(covering seq: UInt64) -> Int? {
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].lastSeq < seq { lo = mid + 1 } else { hi = mid }
        }
        return lo < list.count && seq >= firstSeq(at: lo) ? lo : nil
    }

    /// A number for a new generation: the smallest not listed and not in `pending` (the
    /// databases of a generation not listed are emptied by `dropUnlistedGenerations` before
    /// anything is written). Throws when every number is taken.
    func freeNumber(pending: [Generation] = [], _ store: EventStore) throws -> UInt32 {
        let taken = Set((list + pending).map(\.number))
        guard let n = (1...StorageLayout.generationSlots).first(where: { !taken.contains($0) }) else {
            throw StoreError("\(store.directory): all \(StorageLayout.generationSlots) index generations are in use; import the file in smaller parts")
        }
        return n
    }
}

// MARK: - Reading

extension IndexGenerations {
    /// The seq the id index gives `id`, searching the newest generation first, or `nil`.
    /// `extra` are generations not yet listed (an import's own earlier flushes).
    func seq(ofId id: UnsafeRawBufferPointer, _ txn: borrowing Transaction, _ store: EventStore,
             extra: [Generation] = []) throws -> UInt64? {
        try IdSearch(self, extra: extra, txn, store).seq(ofId: id, txn)
    }

    /// Id look-ups in one transaction: each generation's database and filter found once.
    struct IdSearch {
        private let places: [IdPlace]

        /// Valid while `txn` is (the filters point into the map).
        init(_ generations: IndexGenerations, extra: [Generation] = [], _ txn: borrowing Transaction, _ store: EventStore) throws {
            places = try IdPlace.all(generations.list + extra, txn, store).reversed()
        }

        /// The seq the id index gives `id`, newest generation first; a generation whose filter
        /// says it lacks the id is not searched.
        func seq(ofId id: UnsafeRawBufferPointer, _ txn: borrowing Transaction) throws -> UInt64? {
            let hash = GenerationFilter.hash(id)
            for place in places {
                if let filter = place.filter, !GenerationFilter.mayContain(filter, hash: hash) { continue }
                let seq: UInt64? = try txn.withValue(place.db, key: id) { v in v.flatMap { $0.count == 8 ? StorageLayout.readUInt64($0) : nil } }
                if let seq { return seq }
            }
            return nil
        }
    }

    /// A generation's id index and its filter (none for generation 0, or where it is missing),
    /// valid while the transaction they were found in is.
    struct IdPlace {
        let number: UInt32
        let db: Database
        let filter: UnsafeRawBufferPointer?

        static func all(_ generations: [Generation], _ txn: borrowing Transaction, _ store: EventStore) throws -> [IdPlace] {
            try generations.map { g in
                let filter: UnsafeRawBufferPointer? = g.number == 0 ? nil : try StorageLayout.filterKey(g.number).withUnsafeBytes { k in
                    try txn.withValue(store.meta, key: k) { $0 }
                }
                return IdPlace(number: g.number, db: try store.idIndex(generation: g.number), filter: filter)
            }
        }
    }

    /// What `verify` checks of one event's id across the generations: the generation covering
    /// `seq` maps it to `seq`, its filter holds it, and no other generation has it (an id is in
    /// one generation: two would be two events under one id). `nil` when all hold, else what
    /// does not.
    struct IdCheck {
        private let places: [IdPlace]
        private let generations: IndexGenerations

        /// Valid while `txn` is (the filters point into the map).
        init(_ generations: IndexGenerations, _ txn: borrowing Transaction, _ store: EventStore) throws {
            self.generations = generations
            places = try IdPlace.all(generations.list, txn, store)
        }

        func problem(id: [UInt8], seq: UInt64, _ txn: borrowing Transaction) throws -> String? {
            guard let covering = generations.index(covering: seq) else { return "no index generation covers seq \(seq)" }
            let name = String(decoding: id, as: UTF8.self)
            let hash = id.withUnsafeBytes { GenerationFilter.hash($0) }
            for (i, place) in places.enumerated() {
                let mayHold = place.filter.map { GenerationFilter.mayContain($0, hash: hash) } ?? true
                if i == covering {
                    let indexed = try txn.value(place.db, key: id).flatMap { $0.count == 8 ? $0.withUnsafeBytes { StorageLayout.readUInt64($0) } : nil }
                    guard indexed == seq else { return "id index does not map \"\(name)\" to seq \(seq)" }
                    guard mayHold else { return "the id filter of index generation \(place.number) lacks \"\(name)\"" }
                } else if mayHold, try txn.value(place.db, key: id) != nil {
                    return "id \"\(name)\" is indexed in two generations (\(place.number) and \(places[covering].number))"
                }
            }
            return nil
        }
    }

    /// True if the generation covering `seq` has the participant entry (`participant`, `seq`).
    func hasParticipantEntry(_ participant: String, at seq: UInt64, _ txn: borrowing Transaction, _ store: EventStore) throws -> Bool {
        guard let i = index(covering: seq) else { return false }
        return try txn.value(try store.participantIndex(generation: list[i].number), key: StorageLayout.namedSeqKey(participant, seq)) != nil
    }

    /// One participant's seqs after `after` up to `upto`, ascending: one seek per generation
    /// that holds seqs in that range.
    func seqs(ofParticipant participant: String, after: UInt64 = 0, upto: UInt64, limit: Int, _ txn: borrowing Transaction,
              _ store: EventStore) throws -> [UInt64] {
        let start = StorageLayout.namePrefix(participant)
        let first = after == 0 ? start : StorageLayout.namedSeqKey(participant, after + 1)
        var out: [UInt64] = []
        for (i, g) in list.enumerated() where firstSeq(at: i) <= upto && g.lastSeq > after && out.count < limit {
            try txn.withCursor(try store.participantIndex(generation: g.number)) { cursor in
                var entry = try cursor.seek(first)
                while out.count < limit, let (k, _) = entry, k.count == start.count + 8, k.starts(with: start) {
                    let seq = StorageLayout.readUInt64(k, at: start.count)
                    if seq > upto { return }
                    out.append(seq)
                    entry = try cursor.get(.next)
                }
            }
        }
        return out
    }

    /// Participants with an event at or before `upto`, in byte order: one seek per participant
    /// and generation, the generations' lists merged.
    func participants(upto: UInt64, _ txn: borrowing Transaction, _ store: EventStore) throws -> [String] {
        var merged: [[UInt8]] = []
        for (i, g) in list.enumerated() where firstSeq(at: i) <= upto {
            let names: [[UInt8]] = try txn.withCursor(try store.participantIndex(generation: g.number)) { cursor in
                var out: [[UInt8]] = []
                var entry = try cursor.get(.first)
                while let (k, _) = entry {
                    guard k.count > 9 else { throw StoreError("participant index key of \(k.count) bytes (run journey verify)") }
                    // The first entry of a participant in a generation has its smallest seq there.
                    var next = Array(k[0..<(k.count - 8)])
                    if StorageLayout.readUInt64(k, at: k.count - 8) <= upto { out.append(Array(next.dropLast())) }
                    next[next.count - 1] = 1  // just past every key of this participant
                    entry = try cursor.seek(next)
                }
                return out
            }
            merged = merged.isEmpty ? names : Self.union(merged, names)
        }
        return merged.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Two sorted lists of distinct names, merged without repeats.
    private static func union(_ a: [[UInt8]], _ b: [[UInt8]]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        out.reserveCapacity(max(a.count, b.count))
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i].lexicographicallyPrecedes(b[j])) {
                out.append(a[i]); i += 1
            } else if i == a.count || b[j].lexicographicallyPrecedes(a[i]) {
                out.append(b[j]); j += 1
            } else {
                out.append(a[i]); i += 1; j += 1
            }
        }
        return out
    }
}

extension EventStore {
    /// The seq the id index gives `id` as of `txn` (committed events only), or `nil`.
    package func indexedSeq(ofId id: String, _ txn: borrowing Transaction) throws -> UInt64? {
        var id = id
        let generations = try IndexGenerations.current(txn, self)
        return try id.withUTF8 { try generations.seq(ofId: UnsafeRawBufferPointer($0), txn, self) }
    }
}
