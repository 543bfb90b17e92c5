import JourneyModel

/// Rows of one dump table as the projections produce them: each field's text as every format
/// reads it (UTF-8, unquoted; empty is a missing value), typed by the table's columns
/// (`DumpTables.Field.type`). What a `TableOutput` hands to every format's `TableSink`.
struct TableRows: Sendable {
    /// Which forms a batch is made in: the CSV text of its rows, and its fields for the formats
    /// that read them afterwards (through a `RowSpool`).
    struct Form: Sendable {
        let csv: Bool
        let fields: Bool
    }

    let form: Form
    /// The rows as CSV (`csvField` quoting, CRLF), if `form.csv`.
    private(set) var csv: [UInt8] = []
    /// Each field's length in `text`, row after row (if `form.fields`).
    private(set) var lengths: [UInt32] = []
    /// The fields' texts, one after another (if `form.fields`).
    private(set) var text: [UInt8] = []
    /// Complete rows.
    private(set) var count = 0
    private var atRowStart = true

    init(_ form: Form = Form(csv: true, fields: true)) { self.form = form }

    /// Room for about `bytes` bytes of rows.
    mutating func reserveCapacity(_ bytes: Int) {
        if form.csv { csv.reserveCapacity(bytes) }
        if form.fields { text.reserveCapacity(bytes) }
    }

    /// A text field; `nil` is a missing value.
    mutating func field(_ value: String?) {
        guard var value else { return missing() }
        value.withUTF8 { textField($0) }
    }

    /// A text field given as its UTF-8 bytes; `nil` is a missing value.
    mutating func field(bytes value: ArraySlice<UInt8>?) {
        guard let value else { return missing() }
        value.withUnsafeBufferPointer { textField($0) }
    }

    /// A text field given as its UTF-8 bytes, valid during the call; `nil` is a missing value.
    mutating func field(bytes value: UnsafeBufferPointer<UInt8>?) {
        guard let value else { return missing() }
        textField(value)
    }

    /// A text field that never needs quotes - an id, a participant, an institution id, a type
    /// or a code, a date or a date-time (contract 1.2 restricts their characters) - written
    /// without looking for quotes; `nil` is a missing value.
    mutating func field(plain value: String?) {
        guard var value else { return missing() }
        value.withUTF8 { textField($0, plain: true) }
    }

    /// A date field, `YYYY-MM-DD`; `nil` is a missing value.
    mutating func field(date value: CalendarDate?) {
        guard let value else { return missing() }
        value.withText { textField($0, plain: true) }
    }

    /// As `field(plain:)`, given as UTF-8 bytes valid during the call.
    mutating func field(plainBytes value: UnsafeBufferPointer<UInt8>?) {
        guard let value else { return missing() }
        textField(value, plain: true)
    }

    /// An integer field (missing when `nil`).
    mutating func field(_ value: Int?) {
        guard let value else { return missing() }
        if form.csv {
            csvSeparator()
            csv.csvDigits(value)
        }
        if form.fields {
            let start = text.count
            text.csvDigits(value)
            lengths.append(UInt32(text.count - start))
        }
    }

    /// A decimal field with at most `decimals` decimals and no trailing zeros (missing when `nil`).
    mutating func field(_ value: Double?, decimals: Int) {
        guard let value else { return missing() }
        if form.csv {
            csvSeparator()
            csv.csvDecimal(value, decimals: decimals)
        }
        if form.fields {
            let start = text.count
            text.csvDecimal(value, decimals: decimals)
            lengths.append(UInt32(text.count - start))
        }
    }

    /// A boolean field, missing when `nil`.
    mutating func field(_ value: Bool?) {
        guard let value else { return missing() }
        field(value)
    }

    /// A boolean field: true or false.
    mutating func field(_ value: Bool) {
        // A literal's bytes: no array to retain per field.
        let word: StaticString = value ? "true" : "false"
        let bytes = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        if form.csv {
            csvSeparator()
            csv.append(contentsOf: bytes)
        }
        if form.fields {
            lengths.append(UInt32(bytes.count))
            text.append(contentsOf: bytes)
        }
    }

    /// A whole row of text fields (`nil`: missing).
    mutating func row(_ fields: [String?]) {
        for f in fields { field(f) }
        endRow()
    }

    /// Ends the row.
    mutating func endRow() {
        if form.csv { csv.csvEnd() }
        atRowStart = true
        count += 1
    }

    @inline(__always)
    private mutating func csvSeparator() {
        if atRowStart { atRowStart = false } else { csv.append(UInt8(ascii: ",")) }
    }

    @inline(__always)
    private mutating func missing() {
        if form.csv { csvSeparator() }
        if form.fields { lengths.append(0) }
    }

    @inline(__always)
    private mutating func textField(_ bytes: UnsafeBufferPointer<UInt8>, plain: Bool = false) {
        if form.csv {
            csvSeparator()
            if plain {
                assert(!Array.needsQuotes(bytes), "a plain field needs quotes")
                csv.append(contentsOf: bytes)
            } else {
                csv.csvText(bytes)
            }
        }
        if form.fields {
            lengths.append(UInt32(bytes.count))
            text.append(contentsOf: bytes)
        }
    }

    /// Calls `body` with the fields of every row (rows of `columns` fields).
    func forEachRow(columns: Int, path: String, _ body: (RowFields) throws -> Void) throws {
        try lengths.withUnsafeBufferPointer { lengths in
            try text.withUnsafeBytes { text in
                try Self.forEachRow(lengths: lengths, text: text, columns: columns, path: path, body)
            }
        }
    }

    /// Calls `body` with the fields of every row of `text`, the fields `lengths` long (rows of
    /// `columns` fields); the buffers are valid during the call only.
    static func forEachRow(lengths: UnsafeBufferPointer<UInt32>, text: UnsafeRawBufferPointer, columns: Int, path: String,
                           _ body: (RowFields) throws -> Void) throws {
        guard lengths.count % columns == 0 else { throw DumpError("\(path): a row ends early") }
        try withUnsafeTemporaryAllocation(of: UnsafeBufferPointer<UInt8>.self, capacity: columns) { fields in
            let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self), n = text.count
            var offset = 0, f = 0
            while f < lengths.count {
                for c in 0..<columns {
                    let length = Int(lengths[f + c])
                    guard offset + length <= n else { throw DumpError("\(path): a field runs past the end") }
                    fields.initializeElement(at: c, to: UnsafeBufferPointer(start: base.map { $0 + offset }, count: length))
                    offset += length
                }
                f += columns
                try body(UnsafeBufferPointer(fields))
            }
        }
    }
}

/// One row's fields, a text per column (empty: missing), valid during the call that hands them.
typealias RowFields = UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>
