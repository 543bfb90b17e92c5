/// Rules for ids, pseudonyms and institution ids (contract 1.1): 1-128 (ids) or 1-64 characters
/// of `[A-Za-z0-9._-]`, ids also `:`.
public enum Identifier {
    static func matches(_ s: String, max: Int, colon: Bool) -> Bool {
        let u = s.utf8
        guard !u.isEmpty, u.count <= max else { return false }
        for b in u where !allowed(b, colon: colon) { return false }
        return true
    }

    @inline(__always)
    static func allowed(_ b: UInt8, colon: Bool) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        case UInt8(ascii: ":"): return colon
        default: return false
        }
    }
}
