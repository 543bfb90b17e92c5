import Foundation
import JourneyModel
import LMDB

/// Commits staged batches on a thread of its own, in order, so that one batch is written (and
/// its fsync waited for) while the importer builds the next.
final class BatchWriter: BatchSink, @unchecked Sendable {
    private let store: EventStore
    private let condition = NSCondition()
    private var queue: [(PendingBatch, LogHead?)] = []
    private var writing = false
    private var failure: (any Error)?
    private var stopped = false

    init(store: EventStore) {
        self.store = store
        let thread = Thread { [self] in self.run() }
        thread.start()
    }

    /// Queues `batch` (and, with `head`, the head move that commits the import). Waits while an
    /// earlier batch is still queued or being written, so at most two batches are in memory (this
    /// one and the one being built); rethrows an earlier write failure.
    func submit(_ batch: PendingBatch, head: LogHead?) throws {
        condition.lock()
        defer { condition.unlock() }
        while (writing || !queue.isEmpty) && failure == nil { condition.wait() }
        if let failure { throw failure }
        queue.append((batch, head))
        condition.broadcast()
    }

    /// Waits until every submitted batch is committed; rethrows a write failure.
    func drain() throws {
        condition.lock()
        defer { condition.unlock() }
        while (writing || !queue.isEmpty) && failure == nil { condition.wait() }
        if let failure { throw failure }
    }

    /// Ends the thread once the queue is empty.
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
                return
            }
            let (batch, head) = queue.removeFirst()
            writing = true
            condition.broadcast()
            condition.unlock()

            var error: (any Error)?
            do {
                let store = self.store
                try store.env.write { txn in
                    try batch.write(txn, store: store)
                    if let head { try txn.put(store.meta, key: StorageLayout.headKey, value: head.encoded) }
                }
                // The pages just written stay in the page cache; drop them from this process's
                // map so the import's resident memory stays bounded by a batch, not the store.
                store.env.releaseMappedPages()
            } catch let e {
                error = e
            }

            condition.lock()
            writing = false
            if let error, failure == nil { failure = error }
            condition.broadcast()
            condition.unlock()
        }
    }
}

/// Where the importer hands its batches: the writer, or in an encrypted store the sealer in
/// front of it.
protocol BatchSink: AnyObject {
    /// Queues a batch (and, with `head`, the head move that commits the import).
    func submit(_ batch: PendingBatch, head: LogHead?) throws
    /// Waits until every submitted batch is committed; rethrows a failure.
    func drain() throws
    /// Ends the sink's threads once their queues are empty.
    func stop()
}
