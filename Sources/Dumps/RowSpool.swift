import Dispatch
import Foundation
import JourneyStore
import Synchronization

/// One dump table's rows, kept in a private file of the staging folder as they are produced and
/// handed to every format's sink afterwards (`feed`), table by table: no format reads another's
/// output. The file is the batches of `TableRows` one after another, each as its field count
/// and text size (4 bytes each), its fields' lengths (4 bytes each) and their
/// texts, padded to a multiple of 4 bytes so that every batch's lengths are read in place.
///
/// The thread that appends only copies: every megabyte goes to the disk on a writer thread of
/// its own (at most `Self.inFlight` megabytes waiting), so the participants' rows, collected in
/// order on one thread, are not held up by the writes.
final class RowSpool: @unchecked Sendable {  // appended to by one thread, then only read
    let table: DumpTables.Table
    let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// The first write that failed, reported by `finishWriting` (or the next `append`).
    private let failure = WriteFailure()
    /// Writes the spools' megabytes in the order handed over, one spool's after another.
    private static let writer = DispatchQueue(label: "journey.dump.spool-writer")
    /// Megabytes handed to the writer and not yet written, across spools.
    private static let inFlight = DispatchSemaphore(value: 16)
    private(set) var rows = 0
    private var isOpen = true

    /// Creates the spool of `table` in `directory`.
    init(_ table: DumpTables.Table, in directory: String) throws {
        self.table = table
        path = directory + "/." + table.name + ".rows"
        descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw DumpError("\(path): cannot create the file: \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(1 << 20 + 4096)
    }

    deinit {
        if isOpen { _ = close(descriptor) }
        unlink(path)
    }

    /// Appends `batch` (rows of this table).
    func append(_ batch: TableRows) throws {
        guard batch.count > 0 else { return }
        rows += batch.count
        withUnsafeBytes(of: UInt32(batch.lengths.count).littleEndian) { buffer.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(batch.text.count).littleEndian) { buffer.append(contentsOf: $0) }
        batch.lengths.withUnsafeBytes { buffer.append(contentsOf: $0) }
        buffer.append(contentsOf: batch.text)
        for _ in 0..<((4 - batch.text.count % 4) % 4) { buffer.append(0) }
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Writes what is buffered and closes the file for writing.
    func finishWriting() throws {
        try flush()
        Self.writer.sync {}
        if let message = failure.message.withLock({ $0 }) { throw DumpError(message) }
        isOpen = false
        guard close(descriptor) == 0 else { throw DumpError("\(path): cannot close: \(String(cString: strerror(errno)))") }
    }

    /// Calls `body` with the fields of every row, in the order appended.
    func forEachRow(_ body: (RowFields) throws -> Void) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw DumpError("\(path): cannot read the rows back: \(error.localizedDescription)")
        }
        try data.withUnsafeBytes { file in
            var i = 0
            while i < file.count {
                guard i + 8 <= file.count else { throw DumpError("\(path): a batch of rows ends early") }
                let fields = Int(file.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian)
                let size = Int(file.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self).littleEndian)
                let lengthsStart = i + 8, textStart = lengthsStart + 4 * fields
                guard textStart + size <= file.count, let base = file.baseAddress else { throw DumpError("\(path): a batch of rows ends early") }
                // Batches start at multiples of 4 in a mapped (page-aligned) file: the lengths are read in place.
                let lengths = UnsafeBufferPointer(start: (base + lengthsStart).assumingMemoryBound(to: UInt32.self), count: fields)
                try TableRows.forEachRow(lengths: lengths, text: UnsafeRawBufferPointer(rebasing: file[textStart..<(textStart + size)]),
                                         columns: table.fields.count, path: path, body)
                i = textStart + size + (4 - size % 4) % 4
            }
        }
    }

    /// Hands every row to `sink` and finishes it.
    func feed<S: TableSink>(_ sink: inout S) throws {
        try forEachRow { try sink.row($0) }
        try sink.finish()
    }

    /// Hands the buffered bytes to the writer thread.
    private func flush() throws {
        if let message = failure.message.withLock({ $0 }) { throw DumpError(message) }
        guard !buffer.isEmpty else { return }
        var full: [UInt8] = []
        full.reserveCapacity(1 << 20 + 4096)
        swap(&full, &buffer)
        let bytes = full, descriptor = descriptor, path = path, failure = failure
        Self.inFlight.wait()
        Self.writer.async {
            defer { Self.inFlight.signal() }
            guard failure.message.withLock({ $0 == nil }) else { return }
            bytes.withUnsafeBytes { raw in
                do {
                    try FullWrite.write(raw, to: descriptor, what: path)
                } catch let error as StoreError {
                    failure.message.withLock { $0 = error.message }
                } catch {
                    failure.message.withLock { $0 = "\(path): \(error)" }
                }
            }
        }
    }
}

/// The first failed write of a spool, shared with its writer thread.
private final class WriteFailure: Sendable {
    let message = Mutex<String?>(nil)
}
