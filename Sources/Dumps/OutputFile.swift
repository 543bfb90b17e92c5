import Synchronization
import Crypto
import Foundation
import JourneyStore

/// A file written through a buffer, created with mode 0600. It hashes what it writes, so a
/// dump's manifest need not read its files back (`WrittenDigests`).
final class OutputFile {
    let path: String
    private let descriptor: Int32
    /// Bytes not yet written.
    var buffer: [UInt8] = []
    private var hasher = SHA256()
    private var written = 0

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
            hasher.update(bufferPointer: raw)
            written += raw.count
            do {
                try FullWrite.write(raw, to: descriptor, what: path)
            } catch let error as StoreError {
                throw DumpError(error.message)
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and closes the file.
    func finish() throws {
        try flush()
        isOpen = false
        guard close(descriptor) == 0 else { throw DumpError("\(path): cannot close: \(String(cString: strerror(errno)))") }
        WrittenDigests.shared.record(path, sha256: Hex.encode(hasher.finalize().withUnsafeBytes { Array($0) }), bytes: written)
    }
}

/// The SHA-256 and size of every file an `OutputFile` finished in this process, by path, until
/// taken: a dump's manifest takes those of the files it wrote instead of reading them back.
final class WrittenDigests: Sendable {
    static let shared = WrittenDigests()
    private let byPath = Mutex<[String: (sha256: String, bytes: Int)]>([:])

    func record(_ path: String, sha256: String, bytes: Int) {
        byPath.withLock { $0[path] = (sha256, bytes) }
    }

    /// The digest of `path` as last written, if an `OutputFile` wrote it; forgets it.
    func take(_ path: String) -> (sha256: String, bytes: Int)? {
        byPath.withLock { $0.removeValue(forKey: path) }
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
