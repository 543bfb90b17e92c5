import JourneyModel

/// The ids seen so far in one import, as 64-bit hashes: a compact filter that says "certainly
/// new" for almost every line and "maybe seen before" (to be checked exactly) for the rest.
///
/// An open-addressing table of hashes (linear probing, grown at three quarters full: a 10M-id
/// import holds 128 MB, not 256): no per-insert hashing of its own and 8 bytes a slot.
struct IdFilter {
    private var slots: [UInt64]
    private var count = 0

    /// A filter with room for about `expected` ids (up to two million; 16 MB) before it grows:
    /// growing re-inserts every hash, and an import of a million ids grew five times from the
    /// smallest size.
    init(expected: Int = 1 << 15) {
        var size = 1 << 16
        while size < 2 * min(expected, 1 << 21) { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
    }

    /// Records `id` (UTF-8); returns true if an id with the same hash was recorded before.
    mutating func insert(_ id: ArraySlice<UInt8>) -> Bool {
        insert(hash: Self.hash(id))
    }

    private mutating func insert(hash: UInt64) -> Bool {
        let h = hash == 0 ? 1 : hash  // 0 marks an empty slot
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 {
            if slots[i] == h { return true }
            i = (i + 1) & mask
        }
        slots[i] = h
        count += 1
        if count * 4 > slots.count * 3 { grow() }
        return false
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        count = 0
        for h in old where h != 0 { _ = insert(hash: h) }
    }

    /// `ByteHash` of the id's UTF-8 bytes.
    static func hash(_ id: ArraySlice<UInt8>) -> UInt64 {
        id.withUnsafeBytes { ByteHash.hash($0) }
    }
}
