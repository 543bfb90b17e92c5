/// The ids seen so far in one import, as 64-bit hashes: a compact filter that says "certainly
/// new" for almost every line and "maybe seen before" (to be checked exactly) for the rest.
///
/// An open-addressing table of hashes (linear probing, grown at half full): no per-insert
/// hashing of its own and 8 bytes a slot.
struct IdFilter {
    private var slots = [UInt64](repeating: 0, count: 1 << 16)
    private var count = 0

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
        if count * 2 > slots.count { grow() }
        return false
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        count = 0
        for h in old where h != 0 { _ = insert(hash: h) }
    }

    /// FNV-1a over the UTF-8 bytes, then a final mix (stable across runs, unlike `Hasher`).
    static func hash(_ id: ArraySlice<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in id {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }
}
