import Foundation
import JourneyModel

/// Hands the buffers of a written batch back to the importer for the next one.
///
/// A batch's buffers are tens of megabytes (100,000 records of ~300 bytes). Allocated afresh for
/// every batch, glibc maps them anew (`LargeBufferPolicy`) and the kernel faults in and zeroes
/// every 4 KB page of them on the importer's thread, then unmaps them again when the writer
/// frees them; the batch's pseudonym table grew from a small size each time. Recycled, pages
/// stay mapped and are overwritten, and the table keeps its size.
final class BatchRecycler: @unchecked Sendable {
    /// The growable parts of a batch, emptied, with their capacity.
    struct Buffers: Sendable {
        var records: [UInt8]
        var recordEnds: [Int]
        var types: [EventType]
        var participantNumbers: [Int32]
        var idBytes: [UInt8]
        var idEnds: [Int]
        var participants: StringNumbering
        var seqsOfParticipant: [[UInt64]]
    }

    private let lock = NSLock()
    private var spare: Buffers?

    /// Keeps `buffers` for the next batch (one set: a batch is built while one is written).
    func put(_ buffers: Buffers) {
        lock.lock()
        defer { lock.unlock() }
        spare = buffers
    }

    /// The kept buffers, if any.
    func take() -> Buffers? {
        lock.lock()
        defer { lock.unlock() }
        defer { spare = nil }
        return spare
    }
}
