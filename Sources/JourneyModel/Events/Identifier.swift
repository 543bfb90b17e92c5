/// Rules for ids, pseudonyms and institution ids (contract 1.1): 1-128 (ids) or 1-64 characters
/// of `[A-Za-z0-9._-]`, ids also `:`.
public enum Identifier {
    /// True if `s` is 1-`max` bytes of `[A-Za-z0-9._-]` (and `:` with `colon`).
    public static func matches(_ s: String, max: Int = 64, colon: Bool = false) -> Bool {
        let u = s.utf8
        guard !u.isEmpty, u.count <= max else { return false }
        for b in u where !allowed(b, colon: colon) { return false }
        return true
    }

    /// True if byte `b` may stand in an identifier.
    @inline(__always)
    public static func allowed(_ b: UInt8, colon: Bool) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        case UInt8(ascii: ":"): return colon
        default: return false
        }
    }
}
