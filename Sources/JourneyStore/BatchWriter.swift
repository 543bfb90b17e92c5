import Foundation
import Synchronization
import JourneyModel
import LMDB

/// Where the importer hands its batches: the writer, or in an encrypted store the sealer in
/// front of it.
protocol BatchSink: AnyObject {
    /// Queues a batch (and, with `head`, the head move that commits the import).
    func submit(_ batch: PendingBatch, head: LogHead?) throws
    /// Waits until every submitted batch is through this stage and the ones after it; rethrows
    /// a failure.
    func drain() throws
    /// Ends the stage's thread once its queue is empty (and then the next stage's).
    func stop()
}

/// One stage of the import pipeline: handles batches in order on a thread of its own, so its
/// work overlaps the importer building the next batch. At most one batch waits and one is being
/// handled, which bounds memory.
final class BatchStage: BatchSink, @unchecked Sendable {
    private let handle: (inout PendingBatch, LogHead?) throws -> Void
    private let next: (any BatchSink)?
    private let condition = NSCondition()
    private var queue: [(PendingBatch, LogHead?)] = []
    private var busy = false
    private var failure: (any Error)?
    private var stopped = false

    /// `handle` runs on the stage's thread for each batch, in order; `next` is the stage it
    /// hands batches on to (drained and stopped after this one).
    init(next: (any BatchSink)? = nil, handle: @escaping (inout PendingBatch, LogHead?) throws -> Void) {
        self.handle = handle
        self.next = next
        let thread = Thread { [self] in self.run() }
        thread.start()
    }

    /// Queues `batch`; waits while an earlier batch is still queued or being handled, and
    /// rethrows an earlier failure.
    func submit(_ batch: PendingBatch, head: LogHead?) throws {
        condition.lock()
        defer { condition.unlock() }
        while (busy || !queue.isEmpty) && failure == nil { condition.wait() }
        if let failure { throw failure }
        queue.append((batch, head))
        condition.broadcast()
    }

    func drain() throws {
        condition.lock()
        while (busy || !queue.isEmpty) && failure == nil { condition.wait() }
        let failure = failure
        condition.unlock()
        if let failure { throw failure }
        try next?.drain()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopped { condition.wait() }
            if queue.isEmpty && stopped {
                condition.unlock()
                next?.stop()
                return
            }
            var (batch, head) = queue.removeFirst()
            busy = true
            condition.broadcast()
            condition.unlock()

            var error: (any Error)?
            do {
                try handle(&batch, head)
            } catch let e {
                error = e
            }

            condition.lock()
            busy = false
            if let error, failure == nil { failure = error }
            condition.broadcast()
            condition.unlock()
        }
    }
}

/// The last stage: commits each batch (and, with a head, the head move) to LMDB, so one batch is
/// written - and its fsync waited for - while the importer builds the next.
enum BatchWriter {
    /// The stage. Index entries gather in `staged` and are written when due and with the head's
    /// move; each written batch's buffers go to `recycler` for the next.
    ///
    /// The transaction changes nothing outside LMDB: if it fills the map, it runs again on the
    /// grown map from the same state. `staged` learns what was written only after the commit.
    ///
    /// `failAfterParts` (tests) stops the import, as a kill would, once that many index-flush
    /// transactions have committed.
    static func stage(store: EventStore, staged: StagedIndexEntries, recycler: BatchRecycler, failAfterParts: Int? = nil) -> BatchStage {
        let partsWritten = Mutex(0)
        return BatchStage { batch, head in
            let flush = staged.flush(with: batch, committing: head != nil)
            let parts = flush?.parts ?? 1
            // A flush writes a new index generation into the first free, empty databases.
            var generation: IndexGenerations.Generation?
            var filter: [UInt8] = []
            if let flush, !flush.isEmpty {
                let pending = staged.pendingGenerations
                let number = try store.env.read { txn in try IndexGenerations.current(txn, store).freeNumber(pending: pending, store) }
                generation = flush.generation(number)
                filter = flush.filter()
            }
            let number = generation?.number ?? 0
            // The generation's id filter, with its last part.
            func writeFilter(_ txn: borrowing Transaction) throws {
                if generation != nil { try txn.put(store.meta, key: StorageLayout.filterKey(number), value: filter) }
            }
            // Listed with the head's move: this import's earlier generations and this one.
            let listing = staged.pendingGenerations + (generation.map { [$0] } ?? [])
            if let flush, parts > 1 {
                // A large flush is written in several transactions, each a key range of both
                // indexes, so the pages one transaction makes dirty stay bounded. The batch's
                // records go first; the generation is listed, and the head moves, with the last part.
                try store.env.write { txn in try batch.write(txn, store: store) }
                for part in 0..<(parts - 1) {
                    try store.env.write { txn in try flush.write(txn, store: store, generation: number, part: part, of: parts) }
                    if let failAfterParts, partsWritten.withLock({ $0 += 1; return $0 }) >= failAfterParts {
                        throw StoreError("\(store.directory): stopped after \(failAfterParts) index transactions (a test)")
                    }
                }
                try store.env.write { txn in
                    try flush.write(txn, store: store, generation: number, part: parts - 1, of: parts)
                    try writeFilter(txn)
                    if let head { try batch.commit(head: head, generations: listing, txn, store: store) }
                }
            } else {
                try store.env.write { txn in
                    try batch.write(txn, store: store)
                    try flush?.write(txn, store: store, generation: number)
                    try writeFilter(txn)
                    if let head { try batch.commit(head: head, generations: listing, txn, store: store) }
                }
            }
            staged.committed(batch, flushed: generation, listed: head != nil)
            recycler.keep(&batch)
            // The pages just written stay in the page cache; drop them from this process's
            // map so the import's resident memory stays bounded by a batch, not the store.
            store.env.releaseMappedPages()
        }
    }
}
