/// A parsed JSON value, for comparing events "as parsed JSON" (member order does not matter).
///
/// Numbers keep their text, so `1` and `1.0` differ only if their text differs; the contract only
/// allows integers where numbers appear, and those are written without fraction or exponent.
public indirect enum JSONValue: Hashable, Sendable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    /// Parses one JSON value from `bytes` (the whole buffer; only whitespace may follow).
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(InputError) -> JSONValue {
        var s = JSONScanner(bytes)
        let value = try read(&s, depth: 0)
        try s.expectEnd()
        return value
    }

    /// Parses one JSON value from an array of bytes.
    public static func parse(_ bytes: [UInt8]) throws(InputError) -> JSONValue {
        do {
            return try bytes.withUnsafeBytes { raw in try parse(raw) }
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError("\(error)")
        }
    }

    /// Reads one JSON value at the scanner's position (`depth`: how deeply it is nested).
    static func read(_ s: inout JSONScanner, depth: Int) throws(InputError) -> JSONValue {
        guard depth < 64 else { throw InputError("malformed JSON: nested too deeply") }
        switch try s.peekKind() {
        case .object:
            try s.beginObject()
            var members: [String: JSONValue] = [:]
            var first = true
            while let key = try s.nextKey(first: first) {
                first = false
                let name = s.string(key)
                let value = try read(&s, depth: depth + 1)
                if members.updateValue(value, forKey: name) != nil { throw InputError("duplicate key \"\(name)\"") }
            }
            return .object(members)
        case .array:
            try s.beginArray()
            var items: [JSONValue] = []
            var first = true
            while try s.hasNextElement(first: first) {
                first = false
                items.append(try read(&s, depth: depth + 1))
            }
            return .array(items)
        case .string: return .string(s.string(try s.readString()))
        case .number:
            let n = try s.readNumber()
            return .number(String(decoding: UnsafeRawBufferPointer(rebasing: s.bytes[n.start..<n.end]), as: UTF8.self))
        case .bool: return .bool(try s.readBool())
        case .null:
            try s.readNull()
            return .null
        }
    }
}
