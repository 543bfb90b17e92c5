/// Rewrites a validated JSON object in the store's canonical form: the same members in the same
/// order, strings and numbers exactly as written (but the integer `-0`, stored as `0`: JSON
/// integers have one zero), no insignificant whitespace, members whose
/// value is `null` removed (at any depth), and the store's own top-level fields removed.
///
/// This is the form events are stored and exported in ("as imported, minus null optionals").
public enum JSONCompactor {
    /// Top-level members the store owns; they are ignored on import.
    public static let storeFields: Set<String> = ["seq", "appended", "hash"]

    /// Appends the compact form of the object in `bytes` to `out`. `bytes` must be valid JSON.
    public static func compact(_ bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) throws(InputError) {
        var scanner = JSONScanner(bytes)
        try copyValue(&scanner, into: &out, depth: 0)
    }

    private static func copyValue(_ s: inout JSONScanner, into out: inout [UInt8], depth: Int) throws(InputError) {
        switch try s.peekKind() {
        case .object:
            try s.beginObject()
            out.append(UInt8(ascii: "{"))
            var first = true
            var wroteAny = false
            while let key = try s.nextKey(first: first) {
                first = false
                if try s.peekKind() == .null {
                    try s.readNull()
                    continue
                }
                if depth == 0 && isStoreField(key, s) {
                    try s.skipValue()
                    continue
                }
                if wroteAny { out.append(UInt8(ascii: ",")) }
                wroteAny = true
                appendRaw(s, from: key.start - 1, to: key.end + 1, into: &out)
                out.append(UInt8(ascii: ":"))
                try copyValue(&s, into: &out, depth: depth + 1)
            }
            out.append(UInt8(ascii: "}"))
        case .array:
            try s.beginArray()
            out.append(UInt8(ascii: "["))
            var first = true
            while try s.hasNextElement(first: first) {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                try copyValue(&s, into: &out, depth: depth + 1)
            }
            out.append(UInt8(ascii: "]"))
        case .string:
            let t = try s.readString()
            appendRaw(s, from: t.start - 1, to: t.end + 1, into: &out)
        case .number:
            let n = try s.readNumber()
            if n.isInteger && n.end - n.start == 2 && s.bytes[n.start] == UInt8(ascii: "-") && s.bytes[n.start + 1] == UInt8(ascii: "0") {
                out.append(UInt8(ascii: "0"))
            } else {
                appendRaw(s, from: n.start, to: n.end, into: &out)
            }
        case .bool:
            let v = try s.readBool()
            out.append(contentsOf: v ? Array("true".utf8) : Array("false".utf8))
        case .null:
            try s.readNull()
            out.append(contentsOf: Array("null".utf8))
        }
    }

    private static func isStoreField(_ key: JSONScanner.StringToken, _ s: JSONScanner) -> Bool {
        s.tokenEquals(key, "seq") || s.tokenEquals(key, "appended") || s.tokenEquals(key, "hash")
    }

    @inline(__always)
    private static func appendRaw(_ s: JSONScanner, from: Int, to: Int, into out: inout [UInt8]) {
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: s.bytes[from..<to]))
    }
}
