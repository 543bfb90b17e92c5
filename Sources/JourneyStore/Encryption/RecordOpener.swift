import Crypto
import Foundation
import JourneyModel
import LMDB

/// Opens records one after another on one thread: plain records as they are, sealed ones by
/// opening their group (kept for the events after it: a participant's events, read together,
/// share their groups) with the key of their slot (the last participant's key kept at hand).
struct RecordOpener {
    let store: EventStore
    private var lastParticipant: [UInt8] = []
    /// The last participant's key; `.some(nil)` if that participant was forgotten.
    private var lastKey: SymmetricKey?? = nil
    /// Opened groups by the seq of their first event, up to `cacheLimit` bytes.
    private var groups: [UInt64: [UInt8]] = [:]
    /// The group opened or found last (consecutive records mostly share it): no lookup then.
    /// Without a cache, the next group is decrypted into the same buffer.
    private var lastGroupSeq: UInt64?
    private var lastGroupPlain: [UInt8] = []
    /// Made when the first sealed group is opened.
    private var decryptor: GroupDecryptor?
    /// Unwraps data keys (always under the store's wrapping key), made with the first one.
    private var unwrapper: GroupDecryptor?
    private var cachedBytes = 0
    private let cacheLimit: Int
    /// Where group heads are found without a B-tree search, when the reader has listed them.
    var records: RecordTable?

    /// `cacheLimit` 0: only the group opened last is kept (for a reader that visits each group's
    /// records one after another, such as one participant's journey).
    init(store: EventStore, cacheLimit: Int = 64 << 20, records: RecordTable? = nil) {
        self.store = store
        self.cacheLimit = cacheLimit
        self.records = records
    }

    /// Calls `body` with the compact JSON of the record at `seq`; with `nil` when the record
    /// belongs to a forgotten participant and can never be read again.
    mutating func withJSON<R>(
        seq: UInt64, _ record: UnsafeRawBufferPointer, _ txn: borrowing Transaction,
        _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        guard record.count > StorageLayout.headerSize else { throw StoreError("record \(seq) is damaged (run journey verify)") }
        if record[0] == StorageLayout.recordVersion { return try body(EventRecord.json(record)) }
        guard let layout = SealedRecord.Layout(record, seq: seq) else { throw StoreError("record \(seq) is damaged (run journey verify)") }
        // The common case - the next record of the participant and group read last - touches
        // neither the key nor the cipher (nor their reference counts).
        if lastGroupSeq == layout.groupSeq, layout.slot == .participant, let range = layout.participant,
           case .some(.some) = lastKey, Self.sameBytes(record, range, lastParticipant) {
            return try Self.withContent(of: seq, layout, in: lastGroupPlain, body)
        }
        guard let cipher = try store.contentCipher() else {
            throw StoreError("record \(seq) is sealed, but the store has no encryption record (run journey verify)")
        }
        let key: SymmetricKey
        switch layout.slot {
        case .store:
            key = cipher.storeKey
        case .participant:
            guard let range = layout.participant else { throw StoreError("record \(seq) is damaged (run journey verify)") }
            if lastKey == nil || !Self.sameBytes(record, range, lastParticipant) {
                let participant = String(decoding: record[range], as: UTF8.self)
                let unwrapper = try self.unwrapper ?? GroupDecryptor()
                self.unwrapper = unwrapper
                let found = try store.dataKey(of: participant, txn, unwrapper: unwrapper)
                if found == nil, !(try store.isForgotten(participant, txn)) {
                    throw StoreError("record \(seq): participant \"\(participant)\" has no data key (run journey verify)")
                }
                lastParticipant = Array(record[range])
                lastKey = .some(found)
            }
            guard case .some(.some(let known)) = lastKey else { return try body(nil) }
            key = known
        }
        try openGroup(of: seq, layout, record, key: key, txn)
        return try Self.withContent(of: seq, layout, in: lastGroupPlain, body)
    }

    /// Calls `body` with the record's JSON in its group's plaintext.
    private static func withContent<R>(of seq: UInt64, _ layout: SealedRecord.Layout, in plain: [UInt8],
                                       _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        guard layout.offset + layout.length <= plain.count else { throw StoreError("record \(seq) points outside its group (run journey verify)") }
        return try plain.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[layout.offset..<(layout.offset + layout.length)]))
        }
    }

    /// As `EventStore.storedEvent`.
    mutating func storedEvent(seq: UInt64, _ record: UnsafeRawBufferPointer, _ txn: borrowing Transaction) throws -> StoredEvent? {
        guard record.count > StorageLayout.headerSize,
              record[0] == StorageLayout.recordVersion || record[0] == SealedRecord.version,
              let type = EventType(rawValue: record[1]) else { return nil }
        let json: [UInt8]? = try withJSON(seq: seq, record, txn) { $0.map { Array($0) } }
        var participant: String?
        if record[0] == SealedRecord.version, let range = SealedRecord.Layout(record, seq: seq)?.participant {
            participant = String(decoding: record[range], as: UTF8.self)
        }
        return StoredEvent(
            seq: seq, type: type,
            appendedMicros: Int64(bitPattern: StorageLayout.readUInt64(record, at: 8)),
            hash: Array(record[StorageLayout.hashOffset..<(StorageLayout.hashOffset + StorageLayout.hashSize)]),
            json: json ?? [], isForgotten: json == nil, sealedParticipant: participant)
    }

    /// Makes the group of the record at `seq` the last group (`lastGroupPlain`), opened now or
    /// found in the cache.
    private mutating func openGroup(
        of seq: UInt64, _ layout: SealedRecord.Layout, _ record: UnsafeRawBufferPointer, key: SymmetricKey, _ txn: borrowing Transaction
    ) throws {
        if lastGroupSeq == layout.groupSeq { return }
        if let known = groups[layout.groupSeq] {
            lastGroupSeq = layout.groupSeq
            lastGroupPlain = known
            return
        }
        lastGroupSeq = nil
        let decryptor = try self.decryptor ?? GroupDecryptor()
        self.decryptor = decryptor
        if layout.groupSeq == seq {
            try SealedRecord.openGroup(record, layout: layout, key: key, with: decryptor, into: &lastGroupPlain)
        } else {
            let groupSeq = layout.groupSeq
            let open = { (head: UnsafeRawBufferPointer?, plain: inout [UInt8]) throws in
                guard let head, let headLayout = SealedRecord.Layout(head, seq: groupSeq), headLayout.sealed != nil,
                      headLayout.slot == layout.slot, Self.sameParticipant(head, headLayout, record, layout) else {
                    throw StoreError("record \(seq): its group at seq \(groupSeq) is missing or belongs elsewhere (run journey verify)")
                }
                try SealedRecord.openGroup(head, layout: headLayout, key: key, with: decryptor, into: &plain)
            }
            if let head = records?.record(groupSeq) {
                try open(head, &lastGroupPlain)
            } else {
                try StorageLayout.withSeqKey(groupSeq) { k in try txn.withValue(store.events, key: k) { try open($0, &lastGroupPlain) } }
            }
        }
        lastGroupSeq = layout.groupSeq
        if cacheLimit > 0 {
            if cachedBytes + lastGroupPlain.count > cacheLimit {
                groups.removeAll(keepingCapacity: true)
                cachedBytes = 0
            }
            groups[layout.groupSeq] = lastGroupPlain
            cachedBytes += lastGroupPlain.count
        }
    }

    /// True if two sealed records name the same participant (or both none).
    private static func sameParticipant(_ a: UnsafeRawBufferPointer, _ aLayout: SealedRecord.Layout,
                                        _ b: UnsafeRawBufferPointer, _ bLayout: SealedRecord.Layout) -> Bool {
        switch (aLayout.participant, bLayout.participant) {
        case (nil, nil): return true
        case let (x?, y?): return x.count == y.count && (x.isEmpty || memcmp(a.baseAddress! + x.lowerBound, b.baseAddress! + y.lowerBound, x.count) == 0)
        default: return false
        }
    }

    /// True if `record[range]` holds exactly `bytes`.
    private static func sameBytes(_ record: UnsafeRawBufferPointer, _ range: Range<Int>, _ bytes: [UInt8]) -> Bool {
        guard range.count == bytes.count else { return false }
        return bytes.withUnsafeBytes { b in range.isEmpty || memcmp(record.baseAddress! + range.lowerBound, b.baseAddress!, range.count) == 0 }
    }
}
