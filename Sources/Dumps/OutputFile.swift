import Foundation

/// A file written through a buffer, created with mode 0600.
final class OutputFile {
    let path: String
    private let descriptor: Int32
    /// Bytes not yet written.
    var buffer: [UInt8] = []

    /// Creates (or truncates) `path`.
    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw DumpError("\(path): cannot create the file: \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(1 << 20)
    }

    private var isOpen = true

    deinit { if isOpen { _ = close(descriptor) } }

    /// Writes the buffer out once it holds a megabyte.
    func flushIfFull() throws { if buffer.count >= 1 << 20 { try flush() } }

    /// Writes `bytes` through the buffer.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes.bindMemory(to: UInt8.self))
        try flushIfFull()
    }

    /// Writes everything buffered.
    func flush() throws {
        try buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw DumpError("\(path): cannot write: \(String(cString: strerror(errno)))")
                }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and closes the file.
    func finish() throws {
        try flush()
        isOpen = false
        guard close(descriptor) == 0 else { throw DumpError("\(path): cannot close: \(String(cString: strerror(errno)))") }
    }
}

/// Small whole files of a dump.
enum DumpFile {
    /// Writes `data` to `path` with mode 0600.
    static func write(_ data: Data, to path: String) throws {
        let file = try OutputFile(path: path)
        try data.withUnsafeBytes { try file.write($0) }
        try file.finish()
    }
}
