import Foundation

/// Streams the lines of a file (or standard input) without loading it whole, or of bytes in memory.
///
/// Lines end at `\n`; one `\r` before it is dropped; a UTF-8 byte order mark at the very start
/// is skipped. Line numbers are physical, from 1, counting blank lines.
final class LineReader {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private var start = 0  // first unread byte
    private var end = 0  // one past the last byte read
    private var eof = false
    private var atFileStart = true
    private(set) var lineNumber = 0
    /// Bytes consumed so far (for progress).
    private(set) var bytesRead = 0
    /// The name used in messages.
    let name: String
    /// How many bytes there are to read, when known in advance (a regular file, bytes in
    /// memory): lets an import size its tables once instead of growing them.
    let sizeHint: Int?
    /// A longer line is an error (`FILE:LINE: line longer than ...`): memory stays bounded
    /// whatever the input (`/dev/zero` included).
    let maxLineBytes: Int

    /// Opens `path`, or standard input for `-`.
    init(path: String, maxLineBytes: Int = ImportOptions.defaultMaxLineBytes) throws {
        self.maxLineBytes = maxLineBytes
        if path == "-" {
            fd = 0
            ownsDescriptor = false
            name = "<stdin>"
            sizeHint = nil
        } else {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw StoreError("\(path): cannot open: \(String(cString: strerror(errno)))") }
            var st = stat()
            let known = fstat(fd, &st) == 0
            if known && (st.st_mode & S_IFMT) == S_IFDIR {
                close(fd)
                throw StoreError("\(path): is a directory, not a JSON Lines file")
            }
            ownsDescriptor = true
            name = path
            sizeHint = known && (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : nil
        }
        capacity = 1 << 20
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    /// Reads the lines of `bytes`, held in memory (nothing is written to disk); `name` is used
    /// in messages.
    init(bytes: [UInt8], name: String, maxLineBytes: Int = ImportOptions.defaultMaxLineBytes) {
        self.maxLineBytes = maxLineBytes
        fd = -1
        ownsDescriptor = false
        self.name = name
        sizeHint = bytes.count
        capacity = max(bytes.count, 16)
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        bytes.withUnsafeBytes { if let base = $0.baseAddress { buffer.copyMemory(from: base, byteCount: $0.count) } }
        end = bytes.count
        eof = true
    }

    deinit {
        buffer.deallocate()
        if ownsDescriptor { close(fd) }
    }

    /// Calls `body` with the next line (without its line end) and its number; `nil` at the end.
    /// The bytes are valid only during the call.
    func next<R>(_ body: (UnsafeRawBufferPointer, Int) throws -> R) throws -> R? {
        while true {
            if let nl = memchr(buffer + start, 0x0A, end - start) {
                let lineEnd = buffer.distance(to: nl)
                try checkLength(lineEnd - start)
                return try emit(from: start, to: lineEnd, consumed: lineEnd + 1, body)
            }
            try checkLength(end - start)
            if eof {
                if start < end { return try emit(from: start, to: end, consumed: end, body) }
                return nil
            }
            try fill()
        }
    }

    private func emit<R>(from: Int, to: Int, consumed: Int, _ body: (UnsafeRawBufferPointer, Int) throws -> R) throws -> R {
        var s = from
        var e = to
        if atFileStart {
            atFileStart = false
            if e - s >= 3 && buffer.load(fromByteOffset: s, as: UInt8.self) == 0xEF
                && buffer.load(fromByteOffset: s + 1, as: UInt8.self) == 0xBB
                && buffer.load(fromByteOffset: s + 2, as: UInt8.self) == 0xBF { s += 3 }
        }
        if e > s && buffer.load(fromByteOffset: e - 1, as: UInt8.self) == 0x0D { e -= 1 }
        bytesRead += consumed - start
        start = consumed
        lineNumber += 1
        return try body(UnsafeRawBufferPointer(start: buffer + s, count: e - s), lineNumber)
    }

    /// Throws if the line being read (`length` bytes so far) is longer than allowed.
    private func checkLength(_ length: Int) throws {
        guard length > maxLineBytes else { return }
        throw StoreError("\(name):\(lineNumber + 1): line longer than \(maxLineBytes) bytes (the limit is set with --max-line-bytes); nothing from this file was appended")
    }

    private func fill() throws {
        if start > 0 {
            memmove(buffer, buffer + start, end - start)
            end -= start
            start = 0
        }
        if end == capacity {
            let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
            bigger.copyMemory(from: buffer, byteCount: end)
            buffer.deallocate()
            buffer = bigger
            capacity *= 2
        }
        while true {
            let n = read(fd, buffer + end, capacity - end)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw StoreError("\(name): read failed: \(String(cString: strerror(errno)))") }
            if n == 0 { eof = true }
            end += n
            return
        }
    }

    /// True if the line holds only spaces, tabs or carriage returns.
    static func isBlank(_ line: UnsafeRawBufferPointer) -> Bool {
        for b in line where b != 0x20 && b != 0x09 && b != 0x0D { return false }
        return true
    }
}
