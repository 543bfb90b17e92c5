/// A 64-bit hash of bytes, eight at a time (the last eight overlapping, so no byte loop for
/// strings of eight bytes or more), with a final mix: the project's open-addressing tables key
/// on it (the import's id filter, the stored-event decoder's intern table, `StringNumbering`).
/// Deterministic across runs, unlike `Hasher`, and cheap for the short ids and names these
/// tables hold.
public enum ByteHash {
    @inlinable @inline(__always)
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let n = bytes.count
        var h = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
        if n >= 8 {
            var i = 0
            while i + 8 < n {
                h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xff51_afd7_ed55_8ccd
                h ^= h >> 32
                i += 8
            }
            h = (h ^ bytes.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)) &* 0xff51_afd7_ed55_8ccd
        } else {
            var tail: UInt64 = 0
            for j in 0..<n { tail = tail << 8 | UInt64(bytes[j]) }
            h = (h ^ tail) &* 0xc4ce_b9fe_1a85_ec53
        }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }
}
