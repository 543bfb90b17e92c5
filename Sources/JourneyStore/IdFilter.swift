/// The ids seen so far in one import, as 64-bit hashes: a compact filter that says "certainly
/// new" for almost every line and "maybe seen before" (to be checked exactly) for the rest.
struct IdFilter {
    private var seen: Set<UInt64> = []

    /// Records `id` (UTF-8); returns true if an id with the same hash was recorded before.
    mutating func insert(_ id: ArraySlice<UInt8>) -> Bool {
        !seen.insert(Self.hash(id)).inserted
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
