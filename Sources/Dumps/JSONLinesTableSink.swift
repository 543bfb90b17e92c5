import Foundation

/// A dump table as JSON Lines: one object per row, keys in column order, integers and booleans
/// as JSON numbers and booleans, a missing value as `null`.
struct JSONLinesTableSink: TableSink {
    private let output: OutputFile
    /// Every column's `"name":`, one after another; column `i`'s ends at `keyEnds[i]`.
    private let keys: [UInt8]
    private let keyEnds: [Int]
    private let bare: [Bool]
    /// Rows go into a local buffer (no class property touched per byte), handed over by the MB.
    private var out: [UInt8] = []

    init(_ table: DumpTables.Table, path: String) throws {
        output = try OutputFile(path: path)
        var keys: [UInt8] = [], ends: [Int] = []
        for field in table.fields {
            keys.jsonString(field.name.utf8)
            keys.append(UInt8(ascii: ":"))
            ends.append(keys.count)
        }
        self.keys = keys
        keyEnds = ends
        bare = table.fields.map { $0.type == .integer || $0.type == .number || $0.type == .boolean }
        out.reserveCapacity(1 << 20 + 4096)
    }

    mutating func row(_ fields: RowFields) throws {
        // The keys and flags are read through pointers: no array is retained per field.
        keys.withUnsafeBufferPointer { keys in
            keyEnds.withUnsafeBufferPointer { ends in
                bare.withUnsafeBufferPointer { bare in render(fields, keys, ends, bare) }
            }
        }
        if out.count >= 1 << 20 {
            try out.withUnsafeBytes { try output.write($0) }
            out.removeAll(keepingCapacity: true)
        }
    }

    private mutating func render(_ fields: RowFields, _ keys: UnsafeBufferPointer<UInt8>, _ ends: UnsafeBufferPointer<Int>,
                                 _ bare: UnsafeBufferPointer<Bool>) {
        out.append(UInt8(ascii: "{"))
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: keys[(i == 0 ? 0 : ends[i - 1])..<ends[i]]))
            if field.isEmpty {
                out.append(contentsOf: "null".utf8)
            } else if bare[i] {
                out.append(contentsOf: field)
            } else {
                out.jsonString(field)
            }
        }
        out.append(contentsOf: "}\n".utf8)
    }

    mutating func finish() throws {
        try out.withUnsafeBytes { try output.write($0) }
        try output.finish()
    }
}

extension Array where Element == UInt8 {
    /// Appends `bytes` (valid UTF-8) as a JSON string, escaping quotes, backslashes and control
    /// characters.
    mutating func jsonString(_ bytes: UnsafeBufferPointer<UInt8>) {
        // Most fields need no escaping: copy them whole.
        if !bytes.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            append(0x22)
            append(contentsOf: bytes)
            append(0x22)
            return
        }
        jsonEscaped(bytes)
    }

    /// Appends `bytes` (valid UTF-8) as a JSON string, escaping quotes, backslashes and control
    /// characters.
    mutating func jsonString(_ bytes: some Sequence<UInt8>) { jsonEscaped(bytes) }

    private mutating func jsonEscaped(_ bytes: some Sequence<UInt8>) {
        append(0x22)
        for b in bytes {
            switch b {
            case 0x22: append(contentsOf: [0x5C, 0x22])
            case 0x5C: append(contentsOf: [0x5C, 0x5C])
            case 0x0A: append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: append(b)
            }
        }
        append(0x22)
    }
}
