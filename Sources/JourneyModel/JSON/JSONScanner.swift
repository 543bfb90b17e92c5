/// A strict, allocation-free JSON tokenizer over UTF-8 bytes (RFC 8259).
///
/// It accepts only what the contract allows: no NaN/Infinity, no comments, no trailing commas,
/// strings with valid UTF-8 and no lone surrogate escapes, whitespace limited to space, tab,
/// CR and LF. Callers walk objects with `beginObject`/`nextKey`, and read values by kind.
public struct JSONScanner {
    /// The bytes being read; they must outlive the scanner.
    public let bytes: UnsafeRawBufferPointer
    /// Offset of the next unread byte.
    public var index: Int
    /// True once anything was read that `JSONCompactor` writes otherwise - insignificant
    /// whitespace, a `null`, the integer `-0` - so the input is not already in compact form.
    public var needsCompaction = false
    /// False when the reader only validates free texts and the texts of times (an import keeps
    /// an event's keys, not its texts): `EventParser` then leaves them empty instead of making
    /// Strings of them. Every check and every message stays the same.
    public var keepsText = true

    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.index = 0
    }

    /// The content of a string token: a byte range (without quotes) and whether it has escapes.
    public struct StringToken: Sendable {
        public let start: Int
        public let end: Int
        public let hasEscapes: Bool
        public var count: Int { end - start }
    }

    /// The kind of the next value, judged from its first byte.
    public enum Kind: Sendable { case object, array, string, number, bool, null }

    // MARK: - Structure

    @inline(__always)
    public mutating func skipWhitespace() {
        while index < bytes.count {
            let b = bytes[index]
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D {
                index += 1
                needsCompaction = true
            } else {
                return
            }
        }
    }

    /// The kind of the next value (after whitespace), or an error at end of input.
    public mutating func peekKind() throws(InputError) -> Kind {
        skipWhitespace()
        guard index < bytes.count else { throw InputError("malformed JSON: unexpected end of line") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw unexpected("a value")
        }
    }

    /// Consumes `{`.
    public mutating func beginObject() throws(InputError) { try expect(UInt8(ascii: "{"), "'{'") }

    /// Reads the next member key of an object begun with `beginObject`, consuming the `:` after
    /// it; returns `nil` (consuming `}`) when the object ends. `first` tells whether a member
    /// has been read already.
    public mutating func nextKey(first: Bool) throws(InputError) -> StringToken? {
        skipWhitespace()
        guard index < bytes.count else { throw InputError("malformed JSON: unexpected end of line inside an object") }
        if bytes[index] == UInt8(ascii: "}") { index += 1; return nil }
        if !first {
            guard bytes[index] == UInt8(ascii: ",") else { throw unexpected("',' or '}'") }
            index += 1
            skipWhitespace()
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw unexpected("a member name in quotes") }
        let key = try readString()
        try expect(UInt8(ascii: ":"), "':'")
        return key
    }

    /// Consumes `[`.
    public mutating func beginArray() throws(InputError) { try expect(UInt8(ascii: "["), "'['") }

    /// True if another element follows in an array begun with `beginArray` (consuming `,`),
    /// false when it ends (consuming `]`).
    public mutating func hasNextElement(first: Bool) throws(InputError) -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw InputError("malformed JSON: unexpected end of line inside an array") }
        if bytes[index] == UInt8(ascii: "]") { index += 1; return false }
        if !first {
            guard bytes[index] == UInt8(ascii: ",") else { throw unexpected("',' or ']'") }
            index += 1
        }
        return true
    }

    /// Requires that only whitespace is left.
    public mutating func expectEnd() throws(InputError) {
        skipWhitespace()
        if index < bytes.count { throw unexpected("end of line after the JSON object") }
    }

    // MARK: - Scalars

    /// Reads a string token, validating escapes, surrogate pairs, control characters and UTF-8.
    public mutating func readString() throws(InputError) -> StringToken {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw unexpected("a string") }
        index += 1
        let start = index
        var escapes = false
        let n = bytes.count
        while index < n {
            // Skip 8 plain ASCII bytes at a time: no quote, backslash, control or non-ASCII byte;
            // else go straight to the first byte that is not plain. (The lowest flagged byte of
            // these tests is exact: borrows only disturb the bytes above it.)
            if index + 8 <= n {
                let v = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let ones: UInt64 = 0x0101_0101_0101_0101
                let highs: UInt64 = 0x8080_8080_8080_8080
                let quote = v ^ (ones &* 0x22)
                let slash = v ^ (ones &* 0x5C)
                let special = (((quote &- ones) & ~quote) | ((slash &- ones) & ~slash) | (v &- ones &* 0x20) | v) & highs
                if special == 0 {
                    index += 8
                    continue
                }
                index += special.trailingZeroBitCount >> 3
            }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let token = StringToken(start: start, end: index, hasEscapes: escapes)
                index += 1
                return token
            } else if b == UInt8(ascii: "\\") {
                escapes = true
                try readEscape()
            } else if b < 0x20 {
                throw InputError("malformed JSON: unescaped control character in a string")
            } else if b < 0x80 {
                index += 1
            } else {
                try readUTF8Sequence()
            }
        }
        throw InputError("malformed JSON: unterminated string")
    }

    private mutating func readEscape() throws(InputError) {
        // bytes[index] is the backslash.
        guard index + 1 < bytes.count else { throw InputError("malformed JSON: unterminated string") }
        let e = bytes[index + 1]
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
             UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            index += 2
        case UInt8(ascii: "u"):
            let unit = try hex4(at: index + 2)
            index += 6
            if unit >= 0xD800 && unit <= 0xDBFF {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                      case let low = try hex4(at: index + 2), low >= 0xDC00 && low <= 0xDFFF
                else { throw InputError("invalid string: lone surrogate escape \\u\(hexString(unit))") }
                index += 6
            } else if unit >= 0xDC00 && unit <= 0xDFFF {
                throw InputError("invalid string: lone surrogate escape \\u\(hexString(unit))")
            }
        default:
            throw InputError("malformed JSON: invalid escape in a string")
        }
    }

    private func hex4(at i: Int) throws(InputError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw InputError("malformed JSON: short \\u escape") }
        var v: UInt32 = 0
        for j in i..<(i + 4) {
            let c = bytes[j]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: throw InputError("malformed JSON: bad \\u escape")
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    private func hexString(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    /// Validates one multi-byte UTF-8 sequence starting at `index` (RFC 3629: no overlongs,
    /// no encoded surrogates, nothing above U+10FFFF).
    private mutating func readUTF8Sequence() throws(InputError) {
        let b0 = bytes[index]
        let n = bytes.count
        func cont(_ i: Int) -> UInt8? { i < n && bytes[i] & 0xC0 == 0x80 ? bytes[i] : nil }
        let bad = InputError("invalid UTF-8 in a string")
        switch b0 {
        case 0xC2...0xDF:
            guard cont(index + 1) != nil else { throw bad }
            index += 2
        case 0xE0...0xEF:
            guard let b1 = cont(index + 1), cont(index + 2) != nil else { throw bad }
            if b0 == 0xE0 && b1 < 0xA0 { throw bad }  // overlong
            if b0 == 0xED && b1 > 0x9F { throw bad }  // surrogate
            index += 3
        case 0xF0...0xF4:
            guard let b1 = cont(index + 1), cont(index + 2) != nil, cont(index + 3) != nil else { throw bad }
            if b0 == 0xF0 && b1 < 0x90 { throw bad }  // overlong
            if b0 == 0xF4 && b1 > 0x8F { throw bad }  // above U+10FFFF
            index += 4
        default:
            throw bad
        }
    }

    /// Reads a number token; returns its byte range and whether it is written as an integer
    /// (no fraction, no exponent).
    public mutating func readNumber() throws(InputError) -> (start: Int, end: Int, isInteger: Bool) {
        skipWhitespace()
        let start = index
        let n = bytes.count
        var isInteger = true
        if index < n && bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < n, isDigit(bytes[index]) else { throw InputError("malformed JSON: bad number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < n && isDigit(bytes[index]) { throw InputError("malformed JSON: number with a leading zero") }
        } else {
            while index < n && isDigit(bytes[index]) { index += 1 }
        }
        if index < n && bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < n, isDigit(bytes[index]) else { throw InputError("malformed JSON: bad number") }
            while index < n && isDigit(bytes[index]) { index += 1 }
        }
        if index < n && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            isInteger = false
            index += 1
            if index < n && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
            guard index < n, isDigit(bytes[index]) else { throw InputError("malformed JSON: bad number") }
            while index < n && isDigit(bytes[index]) { index += 1 }
        }
        if isInteger && index - start == 2 && bytes[start] == UInt8(ascii: "-") { needsCompaction = true }  // -0, stored as 0
        return (start, index, isInteger)
    }

    /// Reads `true` or `false`.
    public mutating func readBool() throws(InputError) -> Bool {
        skipWhitespace()
        if matchLiteral("true") { return true }
        if matchLiteral("false") { return false }
        throw unexpected("true or false")
    }

    /// Reads `null`.
    public mutating func readNull() throws(InputError) {
        skipWhitespace()
        if !matchLiteral("null") { throw unexpected("null") }
        needsCompaction = true
    }

    /// Reads and discards any value, validating it fully.
    public mutating func skipValue(depth: Int = 0) throws(InputError) {
        guard depth < 64 else { throw InputError("malformed JSON: nested too deeply") }
        switch try peekKind() {
        case .object:
            try beginObject()
            var first = true
            var keys: [String] = []
            while let key = try nextKey(first: first) {
                first = false
                let name = string(key)
                if keys.contains(name) { throw InputError("duplicate key \"\(name)\"") }
                keys.append(name)
                try skipValue(depth: depth + 1)
            }
        case .array:
            try beginArray()
            var first = true
            while try hasNextElement(first: first) {
                first = false
                try skipValue(depth: depth + 1)
            }
        case .string: _ = try readString()
        case .number: _ = try readNumber()
        case .bool: _ = try readBool()
        case .null: try readNull()
        }
    }

    // MARK: - Decoding

    /// True if two string tokens of these bytes hold the same text: their bytes, or where either
    /// is written with escapes, their decoded texts.
    public func sameText(_ a: StringToken, _ b: StringToken) -> Bool {
        if a.hasEscapes || b.hasEscapes { return string(a) == string(b) }
        guard a.count == b.count else { return false }
        for i in 0..<a.count where bytes[a.start + i] != bytes[b.start + i] { return false }
        return true
    }

    /// The Swift string of a validated string token.
    public func string(_ token: StringToken) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[token.start..<token.end])
        if !token.hasEscapes { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let b = raw[i]
            if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
            guard i + 1 < raw.count else { break }  // a lone final backslash: only in a damaged record
            let e = raw[i + 1]
            switch e {
            case UInt8(ascii: "b"): out.append(0x08); i += 2
            case UInt8(ascii: "f"): out.append(0x0C); i += 2
            case UInt8(ascii: "n"): out.append(0x0A); i += 2
            case UInt8(ascii: "r"): out.append(0x0D); i += 2
            case UInt8(ascii: "t"): out.append(0x09); i += 2
            case UInt8(ascii: "u"):
                var scalar = (try? hex4(at: token.start + i + 2)) ?? 0xFFFD
                i += 6
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    // A high surrogate takes a low one; anything else (only in a damaged record:
                    // the strict scanner checks pairs) is a replacement character.
                    if i + 1 < raw.count, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u"),
                       let low = try? hex4(at: token.start + i + 2), low >= 0xDC00 && low <= 0xDFFF {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    } else {
                        scalar = 0xFFFD
                    }
                }
                appendUTF8(Unicode.Scalar(scalar) ?? "\u{FFFD}", to: &out)
            default: out.append(e); i += 2
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True if the token's decoded content equals `ascii` (an ASCII literal).
    @inline(__always)
    public func tokenEquals(_ token: StringToken, _ ascii: StaticString) -> Bool {
        if token.hasEscapes { return string(token) == ascii.description }
        guard token.count == ascii.utf8CodeUnitCount else { return false }
        let p = ascii.utf8Start
        for i in 0..<token.count where bytes[token.start + i] != p[i] { return false }
        return true
    }

    // MARK: - Helpers

    @inline(__always) private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private mutating func matchLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let p = literal.utf8Start
        for i in 0..<count where bytes[index + i] != p[i] { return false }
        index += count
        return true
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(InputError) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { throw unexpected(what) }
        index += 1
    }

    /// An error naming what was expected and what was found.
    public func unexpected(_ expected: String) -> InputError {
        guard index < bytes.count else { return InputError("malformed JSON: expected \(expected), found end of line") }
        let b = bytes[index]
        let found = b >= 0x20 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16))"
        return InputError("malformed JSON: expected \(expected) at column \(index + 1), found \(found)")
    }
}

@inline(__always)
func appendUTF8(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
    out.append(contentsOf: String(Character(scalar)).utf8)
}
