import Synchronization
import Foundation

/// Hands the buffers of a written batch back to the importer for the next one.
///
/// A batch's buffers are tens of megabytes (100,000 records of ~300 bytes). Allocated afresh for
/// every batch, glibc maps them anew (`LargeBufferPolicy`) and the kernel faults in and zeroes
/// every 4 KB page of them on the importer's thread, then unmaps them again when the writer
/// frees them; the batch's pseudonym table grew from a small size each time. Reused, pages stay
/// mapped and are overwritten, and the table keeps its size.
final class BatchRecycler: Sendable {
    private let spare = Mutex<PendingBatch?>(nil)

    /// Keeps the written `batch` for the next one (one: a batch is built while one is written),
    /// leaving an empty batch in its place so that the kept one's buffers have no other owner.
    func keep(_ batch: inout PendingBatch) {
        let written = batch
        batch = PendingBatch(firstSeq: written.firstSeq)
        spare.withLock { $0 = written }
    }

    /// The kept batch, emptied for events from `firstSeq` on, if there is one.
    func take(emptiedFrom firstSeq: UInt64) -> PendingBatch? {
        guard var batch = spare.withLock({ spare -> PendingBatch? in
            defer { spare = nil }
            return spare
        }) else { return nil }
        batch.empty(from: firstSeq)
        return batch
    }
}
