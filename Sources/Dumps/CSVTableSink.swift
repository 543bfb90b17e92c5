/// A dump table as an RFC 4180 CSV file (`csvField` quoting): header row, then one row per row.
/// A dump of CSV alone has its workers render the rows' CSV as they make them (`TableRows`, with
/// the same quoting), handed over as text (`raw`); with other formats, rows come from the spool.
struct CSVTableSink: TableSink {
    private let file: OutputFile
    private let isText: TextColumns
    /// Rows go into a local buffer (no class property touched per byte), handed over by the MB.
    private var out: [UInt8] = []

    init(_ table: DumpTables.Table, path: String) throws {
        file = try OutputFile(path: path)
        isText = TextColumns(table)
        out.reserveCapacity(1 << 20 + 4096)
        for (i, name) in table.header.enumerated() { file.buffer.csvField(name, first: i == 0) }
        file.buffer.csvEnd()
    }

    /// Which columns hold text, which may need quotes (dates, numbers and booleans never do): a
    /// bit per column, a plain value that worker threads share without reference counting.
    struct TextColumns: Sendable {
        let bits: UInt64

        init(_ table: DumpTables.Table) {
            precondition(table.fields.count <= 64, "\(table.name): more than 64 columns")
            var bits: UInt64 = 0
            for (i, field) in table.fields.enumerated() where field.type == .string { bits |= 1 << UInt64(i) }
            self.bits = bits
        }

        @inline(__always) subscript(_ i: Int) -> Bool { bits & (1 << UInt64(i)) != 0 }
    }

    /// Appends one row as CSV to `out` (`isText`: the text columns of its table).
    @inline(__always)
    static func render(_ fields: RowFields, isText: TextColumns, to out: inout [UInt8]) {
        for (i, field) in fields.enumerated() {
            if isText[i] {
                out.csvField(text: field, first: i == 0)
            } else {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: field)
            }
        }
        out.csvEnd()
    }

    mutating func row(_ fields: RowFields) throws {
        Self.render(fields, isText: isText, to: &out)
        try flushIfFull()
    }

    /// Appends rows rendered as `render` renders them (straight into the file's buffer).
    mutating func raw(_ rows: [UInt8]) throws {
        if !out.isEmpty {
            try out.withUnsafeBytes { try file.write($0) }
            out.removeAll(keepingCapacity: true)
        }
        file.buffer.append(contentsOf: rows)
        try file.flushIfFull()
    }

    private mutating func flushIfFull() throws {
        if out.count >= 1 << 20 {
            try out.withUnsafeBytes { try file.write($0) }
            out.removeAll(keepingCapacity: true)
        }
    }

    mutating func finish() throws {
        try out.withUnsafeBytes { try file.write($0) }
        try file.finish()
    }
}
