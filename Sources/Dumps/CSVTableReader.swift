import Foundation

/// Reads a CSV table a dump wrote (RFC 4180, CRLF or LF line ends, quoted fields with doubled
/// quotes), row by row, without copying unquoted fields. It is how the other formats are made:
/// from the CSV files, so every format holds exactly the same values.
struct CSVTableReader {
    let path: String
    private let data: Data

    /// Maps `path` and checks that its header is `header`.
    init(path: String, header: [String]) throws {
        self.path = path
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw DumpError("\(path): cannot read the file: \(error.localizedDescription)")
        }
        var found: [String] = []
        try forEachRow(includingHeader: true, limit: 1) { fields in
            found = fields.map { String(decoding: $0, as: UTF8.self) }
        }
        guard found == header else {
            throw DumpError("\(path):1: header is \(found.joined(separator: ",")), expected \(header.joined(separator: ","))")
        }
    }

    /// Calls `body` with the fields of every data row; the buffers are valid during the call only,
    /// and an empty buffer is a missing value.
    func forEachRow(_ body: ([UnsafeBufferPointer<UInt8>]) throws -> Void) throws {
        try forEachRow(includingHeader: false, limit: .max, body)
    }

    private func forEachRow(
        includingHeader: Bool, limit: Int, _ body: ([UnsafeBufferPointer<UInt8>]) throws -> Void
    ) throws {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 16)
            defer { scratch.deallocate() }
            var fields: [UnsafeBufferPointer<UInt8>] = []
            var i = 0, line = 1, rows = 0
            let n = bytes.count
            while i < n, rows < limit {
                let rowStart = i
                var used = 0
                fields.removeAll(keepingCapacity: true)
                var restart = false
                while true {
                    if i < n, bytes[i] == 0x22 {
                        // A quoted field: unescape into the scratch buffer.
                        i += 1
                        let start = used
                        while true {
                            guard i < n else { throw DumpError("\(path):\(line): a quoted field is not closed") }
                            if bytes[i] == 0x22 {
                                if i + 1 < n, bytes[i + 1] == 0x22 { i += 1 } else { i += 1; break }
                            }
                            if used == scratch.count { restart = true; break }
                            scratch[used] = bytes[i]
                            used += 1
                            i += 1
                        }
                        if restart { break }
                        fields.append(UnsafeBufferPointer(rebasing: scratch[start..<used]))
                    } else {
                        let start = i
                        while i < n, bytes[i] != 0x2C, bytes[i] != 0x0A, bytes[i] != 0x0D { i += 1 }
                        fields.append(UnsafeBufferPointer(rebasing: bytes[start..<i]))
                    }
                    if i < n, bytes[i] == 0x2C { i += 1; continue }
                    if i < n, bytes[i] == 0x0D { i += 1 }
                    if i < n, bytes[i] == 0x0A { i += 1 } else if i < n {
                        throw DumpError("\(path):\(line): unexpected character after a quoted field")
                    }
                    break
                }
                if restart {
                    // A quoted field longer than the scratch buffer: grow it and read the row again.
                    let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: scratch.count * 2)
                    scratch.deallocate()
                    scratch = bigger
                    i = rowStart
                    continue
                }
                if includingHeader || line > 1 {
                    try body(fields)
                    rows += 1
                }
                line += 1
            }
        }
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// The field as a string.
    var string: String { String(decoding: self, as: UTF8.self) }

    /// The field as an integer, `nil` if it is empty or not a decimal integer.
    var integer: Int? {
        guard !isEmpty else { return nil }
        var value = 0, negative = false, i = 0
        if self[0] == UInt8(ascii: "-") { negative = true; i = 1 }
        guard i < count else { return nil }
        while i < count {
            let d = Int(self[i]) - 48
            guard d >= 0, d <= 9 else { return nil }
            value = value &* 10 &+ d
            i += 1
        }
        return negative ? -value : value
    }
}
