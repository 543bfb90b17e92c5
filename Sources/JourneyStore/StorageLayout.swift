import JourneyModel

/// The byte layout of the store inside LMDB. `Schemas/STORAGE.md` is its specification; keep
/// the two in step, and bump `formatVersion` for any incompatible change.
enum StorageLayout {
    /// Written to `meta["format"]`.
    static let formatName = "journeystore/2"
    /// The format before index generations: read as is, and marked `formatName` when first
    /// opened for writing (its indexes are generation 0 of the new format).
    static let formatNameWithoutGenerations = "journeystore/1"
    /// The first byte of every event record.
    static let recordVersion: UInt8 = 1
    /// Bytes before the JSON in an event record.
    static let headerSize = 48
    /// Offset and size of the hash inside the header.
    static let hashOffset = 16
    static let hashSize = 32

    // Named databases.
    static let eventsName = "events"
    static let idsName = "ids"
    static let participantsName = "participants"
    static let institutionsName = "institutions"
    static let metaName = "meta"
    static let auditName = "audit"
    static let keysName = "keys"
    /// The participants' records copied together (`journey cluster`): key `namedSeqKey`, value
    /// the record exactly as in `events`.
    static let journeysName = "journeys"
    /// Index generations 1...`generationSlots` (`IndexGenerations`): `ids.N`, `participants.N`.
    static let generationSlots: UInt32 = 48
    static func idsName(generation n: UInt32) -> String { n == 0 ? idsName : "\(idsName).\(n)" }
    static func participantsName(generation n: UInt32) -> String { n == 0 ? participantsName : "\(participantsName).\(n)" }

    // Keys in `meta`.
    static let formatKey = Array("format".utf8)
    static let headKey = Array("head".utf8)
    static let encryptionKey = Array("encryption".utf8)
    /// Present while a compaction is owed (`forget` destroyed a key whose old bytes may still be
    /// in free pages): the forgotten pseudonyms, one per line.
    static let compactionKey = Array("compaction-pending".utf8)
    /// The index generations in log order (`IndexGenerations`).
    static let generationsKey = Array("index-generations".utf8)
    /// The seqs of the log's codebook definitions (`covariate.defined`, `statement.defined`),
    /// 8 bytes each, big-endian, in log order: moved with the head (contract 4.1).
    static let definitionsKey = Array("codebook-definitions".utf8)
    /// The seq up to which `journeys` holds every participant's records (8 bytes, big-endian);
    /// absent or 0: the copy is not there (or not complete) and is not read.
    static let clusteredKey = Array("clustered-upto".utf8)
    /// Keys of the index generations' id filters (`GenerationFilter`): this, then the number.
    static let filterKeyPrefix = Array("id-filter/".utf8)

    /// The key of generation `number`'s id filter in `meta`.
    static func filterKey(_ number: UInt32) -> [UInt8] {
        var key = filterKeyPrefix
        appendUInt32(number, to: &key)
        return key
    }

    /// A sequence number as an 8-byte big-endian key (so LMDB's byte order is numeric order).
    @inline(__always)
    static func seqKey(_ seq: UInt64) -> [UInt8] {
        withUnsafeBytes(of: seq.bigEndian) { Array($0) }
    }

    /// Calls `body` with the key of `seq` in a stack buffer (no array made per lookup).
    static func withSeqKey<R>(_ seq: UInt64, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: seq.bigEndian, body)
    }

    /// A composite key: a name's UTF-8 (a pseudonym, an institution id), a zero byte, the seq
    /// (8 bytes, BE). The zero byte sorts before every character a name may hold, so one name's
    /// keys are contiguous and in seq order (the participant index, the projection codings).
    @inline(__always)
    static func namedSeqKey(_ participant: String, _ seq: UInt64) -> [UInt8] {
        var key = namePrefix(participant)
        appendUInt64(seq, to: &key)
        return key
    }

    /// The key prefix of one name's composite keys.
    static func namePrefix(_ participant: String) -> [UInt8] {
        var key = Array(participant.utf8)
        key.reserveCapacity(key.count + 9)
        key.append(0)
        return key
    }

    /// Reads an 8-byte big-endian unsigned integer.
    @inline(__always)
    static func readUInt64(_ bytes: UnsafeRawBufferPointer, at offset: Int = 0) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 { v = v << 8 | UInt64(bytes[offset + i]) }
        return v
    }

    /// Reads a 4-byte big-endian unsigned integer.
    @inline(__always)
    static func readUInt32(_ bytes: UnsafeRawBufferPointer, at offset: Int = 0) -> UInt32 {
        var v: UInt32 = 0
        for i in 0..<4 { v = v << 8 | UInt32(bytes[offset + i]) }
        return v
    }

    /// Appends `v` as 4 big-endian bytes.
    @inline(__always)
    static func appendUInt32(_ v: UInt32, to out: inout [UInt8]) {
        withUnsafeBytes(of: v.bigEndian) { out.append(contentsOf: $0) }
    }

    /// Appends `v` as 8 big-endian bytes.
    @inline(__always)
    static func appendUInt64(_ v: UInt64, to out: inout [UInt8]) {
        withUnsafeBytes(of: v.bigEndian) { out.append(contentsOf: $0) }
    }
}

/// The committed end of the log: everything up to `seq` is visible; records after it belong to
/// an import that has not committed (or was interrupted) and do not exist for readers.
public struct LogHead: Sendable, Hashable {
    /// The last committed sequence number (0 for an empty log).
    public let seq: UInt64
    /// The hash of that event (32 zero bytes for an empty log).
    public let hash: [UInt8]
    /// Its `appended` time, microseconds since the Unix epoch (0 for an empty log).
    public let appendedMicros: Int64

    static let empty = LogHead(seq: 0, hash: emptyHash, appendedMicros: 0)

    /// The hash standing for an empty log: 32 zero bytes.
    public static let emptyHash = [UInt8](repeating: 0, count: 32)

    /// Encoded as seq (8, BE) || hash (32) || appended (8, BE).
    var encoded: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(48)
        StorageLayout.appendUInt64(seq, to: &out)
        out.append(contentsOf: hash)
        StorageLayout.appendUInt64(UInt64(bitPattern: appendedMicros), to: &out)
        return out
    }

    init(seq: UInt64, hash: [UInt8], appendedMicros: Int64) {
        self.seq = seq
        self.hash = hash
        self.appendedMicros = appendedMicros
    }

    init?(decoding bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 48 else { return nil }
        seq = StorageLayout.readUInt64(bytes, at: 0)
        hash = Array(bytes[8..<40])
        appendedMicros = Int64(bitPattern: StorageLayout.readUInt64(bytes, at: 40))
    }

    /// The head hash in lower-case hex.
    public var hashHex: String { Hex.encode(hash) }
}

/// Lower-case hexadecimal.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `bytes` as lower-case hex.
    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
