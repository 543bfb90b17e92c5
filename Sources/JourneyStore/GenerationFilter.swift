import JourneyModel

/// A blocked Bloom filter of one index generation's ids, kept in `meta` with the generation:
/// an import looks every id of its file up in the id index, and nearly all are new, so without
/// it each would be searched for in every generation. About 10 bits an id, 7 bits set in one
/// 64-byte block, so about 1% of new ids still search a generation (and find nothing).
///
/// Stored as: version byte `1`, block count (4 bytes, BE), then the blocks. The bits of an id
/// come from `ByteHash` of its UTF-8: a filter written with another hash would give wrong
/// answers, so a filter of an unknown version is not used (every id is searched for).
struct GenerationFilter {
    static let version: UInt8 = 1
    private static let headerSize = 5
    private static let blockBytes = 64
    private static let bitsPerId = 10
    private static let bitsSet = 7

    private var bytes: [UInt8]
    private let blocks: Int

    /// An empty filter sized for `capacity` ids.
    init(capacity: Int) {
        blocks = max(1, (capacity * Self.bitsPerId + 511) / 512)
        bytes = [UInt8](repeating: 0, count: Self.headerSize + blocks * Self.blockBytes)
        bytes[0] = Self.version
        withUnsafeBytes(of: UInt32(blocks).bigEndian) { for i in 0..<4 { bytes[1 + i] = $0[i] } }
    }

    /// The hash an id is filed under.
    @inline(__always)
    static func hash(_ id: UnsafeRawBufferPointer) -> UInt64 { ByteHash.hash(id) }

    /// Adds the id with hash `hash` (adding one twice changes nothing).
    mutating func insert(hash: UInt64) {
        let (block, bits) = Self.place(hash, blocks: blocks)
        let base = Self.headerSize + block * Self.blockBytes
        bytes.withUnsafeMutableBytes { raw in
            var g = bits
            for _ in 0..<Self.bitsSet {
                let bit = Int(g & 511)
                raw[base + bit >> 3] |= UInt8(1 << (bit & 7))
                g >>= 9
            }
        }
    }

    /// The filter as stored.
    var encoded: [UInt8] { bytes }

    /// False if the stored filter `stored` certainly lacks the id with hash `hash`; true if it
    /// may hold it, or is not a filter this version reads.
    static func mayContain(_ stored: UnsafeRawBufferPointer, hash: UInt64) -> Bool {
        guard stored.count > headerSize, stored[0] == version else { return true }
        let blocks = Int(StorageLayout.readUInt32(stored, at: 1))
        guard blocks > 0, stored.count == headerSize + blocks * blockBytes else { return true }
        let (block, bits) = place(hash, blocks: blocks)
        let base = headerSize + block * blockBytes
        var g = bits
        for _ in 0..<bitsSet {
            let bit = Int(g & 511)
            if stored[base + bit >> 3] & UInt8(1 << (bit & 7)) == 0 { return false }
            g >>= 9
        }
        return true
    }

    /// The block of a hash (from its high half) and the bits to set in it (9 bits each, from a
    /// remix of the hash).
    @inline(__always)
    private static func place(_ hash: UInt64, blocks: Int) -> (Int, UInt64) {
        let block = Int(truncatingIfNeeded: ((hash >> 32) &* UInt64(blocks)) >> 32)
        return (block, hash &* 0x9E37_79B9_7F4A_7C15)
    }
}
