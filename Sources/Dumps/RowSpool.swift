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
/// The rows stay in memory, a megabyte at a time, while all spools together hold less than
/// `memoryBudget`; past it a spool writes its later megabytes to its file, on a writer thread
/// of its own (at most `inFlight` megabytes waiting), so the participants' rows, collected in
/// order on one thread, are not held up by the writes. A dump of a million events stays in
/// memory; one of ten million is bounded by the budget.
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
    /// Bytes all spools may keep in memory.
    static let memoryBudget = 256 << 20
    /// Bytes kept in memory by the spools alive.
    private static let inMemory = Atomic<Int>(0)
    /// The first megabytes of rows, kept in memory (each holds whole batches).
    private var chunks: [[UInt8]] = []
    private var chunkBytes = 0
    /// True once this spool writes to its file: every later megabyte follows there.
    private var spilled = false
    private(set) var rows = 0
    private var isOpen = true

    /// This spool's share of `memoryBudget` (a test sets it to 0 to spill every megabyte).
    private let budget: Int

    /// Creates the spool of `table` in `directory`.
    init(_ table: DumpTables.Table, in directory: String, memoryBudget: Int = RowSpool.memoryBudget) throws {
        self.table = table
        budget = memoryBudget
        path = directory + "/." + table.name + ".rows"
        descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw DumpError("\(path): cannot create the file: \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(1 << 20 + 4096)
    }

    deinit {
        // A dump that failed before `finishWriting` may have writes of this spool still queued:
        // they finish before the descriptor is closed (its number could otherwise be another
        // file's by the time they ran).
        if spilled { Self.writer.sync {} }
        if isOpen { _ = close(descriptor) }
        unlink(path)
        Self.inMemory.subtract(chunkBytes, ordering: .relaxed)
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
        for chunk in chunks {
            try chunk.withUnsafeBytes { try forEachRow(in: $0, body) }
        }
        guard spilled else { return }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw DumpError("\(path): cannot read the rows back: \(error.localizedDescription)")
        }
        try data.withUnsafeBytes { try forEachRow(in: $0, body) }
    }

    /// The rows of `file`, batches one after another (a chunk in memory, or the mapped file).
    private func forEachRow(in file: UnsafeRawBufferPointer, _ body: (RowFields) throws -> Void) throws {
        var i = 0
        while i < file.count {
            guard i + 8 <= file.count else { throw DumpError("\(path): a batch of rows ends early") }
            let fields = Int(file.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian)
            let size = Int(file.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self).littleEndian)
            let lengthsStart = i + 8, textStart = lengthsStart + 4 * fields
            guard textStart + size <= file.count, let base = file.baseAddress else { throw DumpError("\(path): a batch of rows ends early") }
            // Batches start at multiples of 4 in a chunk or a mapped (page-aligned) file: the
            // lengths are read in place.
            let lengths = UnsafeBufferPointer(start: (base + lengthsStart).assumingMemoryBound(to: UInt32.self), count: fields)
            try TableRows.forEachRow(lengths: lengths, text: UnsafeRawBufferPointer(rebasing: file[textStart..<(textStart + size)]),
                                     columns: table.fields.count, path: path, body)
            i = textStart + size + (4 - size % 4) % 4
        }
    }

    /// Hands every row to `sink` and finishes it.
    func feed<S: TableSink>(_ sink: inout S) throws {
        try forEachRow { try sink.row($0) }
        try sink.finish()
    }

    /// Keeps the buffered bytes in memory, or hands them to the writer thread.
    private func flush() throws {
        if let message = failure.message.withLock({ $0 }) { throw DumpError(message) }
        guard !buffer.isEmpty else { return }
        var full: [UInt8] = []
        full.reserveCapacity(1 << 20 + 4096)
        swap(&full, &buffer)
        if !spilled {
            let size = full.count
            if Self.inMemory.add(size, ordering: .relaxed).newValue <= budget {
                chunks.append(full)
                chunkBytes += size
                return
            }
            Self.inMemory.subtract(size, ordering: .relaxed)
            spilled = true
        }
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
