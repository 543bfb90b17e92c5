import Foundation

/// In an encrypted store, seals each batch (`PendingBatch.sealGroups`) on a thread of its own
/// and passes it on to the `BatchWriter`: parsing, sealing and writing then overlap, and the
/// hash chain - which covers the sealed bytes - is carried from batch to batch here.
final class BatchSealer: BatchSink, @unchecked Sendable {
    private let writer: BatchWriter
    private let sealing: GroupSealing
    private let condition = NSCondition()
    private var queue: [(PendingBatch, LogHead?)] = []
    private var busy = false
    private var failure: (any Error)?
    private var stopped = false
    /// The hash of the last record sealed.
    private var chain: [UInt8]

    init(writer: BatchWriter, sealing: GroupSealing, chainFrom hash: [UInt8]) {
        self.writer = writer
        self.sealing = sealing
        chain = hash
        let thread = Thread { [self] in self.run() }
        thread.start()
    }

    /// Queues `batch`; with `head`, the sealer puts the hash of the batch's last record in it.
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
        try writer.drain()
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
                writer.stop()
                return
            }
            var (batch, head) = queue.removeFirst()
            busy = true
            condition.broadcast()
            condition.unlock()

            var error: (any Error)?
            do {
                chain = try batch.sealGroups(sealing, previousHash: chain)
                try writer.submit(batch, head: head.map { LogHead(seq: $0.seq, hash: chain, appendedMicros: $0.appendedMicros) })
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
