import Foundation

/// Writes one RFC 4180 CSV file: UTF-8, `,` separator, CRLF line ends, fields quoted only when
/// they hold a comma, a quote, CR or LF (quotes doubled). A missing value is an empty field.
final class CSVWriter {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    let path: String

    /// Creates (or truncates) `path` with mode 0600 and writes the header row.
    init(path: String, header: [String]) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw DumpError("\(path): cannot create the file")
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
        row(header)
    }

    /// Appends one row; `nil` is a missing value.
    func row(_ fields: [String?]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { buffer.append(UInt8(ascii: ",")) }
            guard let field else { continue }
            let needsQuotes = field.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            if needsQuotes {
                buffer.append(0x22)
                for b in field.utf8 {
                    if b == 0x22 { buffer.append(0x22) }
                    buffer.append(b)
                }
                buffer.append(0x22)
            } else {
                buffer.append(contentsOf: field.utf8)
            }
        }
        buffer.append(0x0D)
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 { flush() }
    }

    private func flush() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and closes the file.
    func close() throws {
        flush()
        try handle.close()
    }
}

/// A dump that could not be written.
public struct DumpError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
