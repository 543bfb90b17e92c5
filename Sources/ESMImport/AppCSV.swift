/// A CSV file of the app's export: a header row and data rows, each with its physical line
/// number. RFC 4180: quoted fields may hold commas, quotes (doubled) and line breaks; CRLF or LF.
struct AppCSV {
    let file: String
    let header: [String]
    /// Each row's fields and the line it starts on (the header is line 1).
    let rows: [(line: Int, fields: [String])]

    /// Parses `text`; with `headerless`, every record is a row (`header` empty).
    init(file: String, text: String, headerless: Bool = false) throws {
        self.file = file
        var records: [(Int, [String])] = []
        var field = "", fields: [String] = []
        var inQuotes = false, afterQuote = false
        var line = 1, recordLine = 1
        var scalars = text.unicodeScalars.makeIterator()
        if text.unicodeScalars.first == "\u{FEFF}" { _ = scalars.next() }
        var pending: Unicode.Scalar? = nil
        func endRecord() {
            fields.append(field)
            field = ""
            if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
            fields = []
        }
        while let c = pending ?? scalars.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let next = scalars.next() {
                        if next == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; afterQuote = true; pending = next }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !afterQuote:
                inQuotes = true
            case ",":
                fields.append(field)
                field = ""
                afterQuote = false
            case "\r":
                continue
            case "\n":
                endRecord()
                afterQuote = false
                line += 1
                recordLine = line
            default:
                if afterQuote { throw ESMError("\(file):\(line): a character after a closing quote") }
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw ESMError("\(file):\(recordLine): a quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        if headerless {
            header = []
            rows = records
            return
        }
        guard let first = records.first else { throw ESMError("\(file): empty file, no header row") }
        header = first.1
        rows = Array(records.dropFirst())
        for row in rows where row.fields.count != header.count {
            throw ESMError("\(file):\(row.line): \(row.fields.count) fields, the header has \(header.count)")
        }
    }

    /// The index of the column named `name`.
    func column(_ name: String) -> Int? { header.firstIndex(of: name) }
}
