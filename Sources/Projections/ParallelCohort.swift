import Synchronization
import Dispatch
import Foundation
import JourneyStore

/// Runs a per-participant computation over a cohort on every core, in blocks, handing results
/// back in participant order. Each worker reads through a snapshot of its own fixed at the same
/// log position, so results equal a sequential pass.
public enum ParallelCohort {
    /// Calls `compute` for every participant (on worker threads) and `consume` with each result,
    /// in the order of `participants`, on the calling thread. While one block of participants is
    /// consumed, the next is already being computed. The workers find events in a `RecordTable`
    /// of the log up to `upto`, listed once in a snapshot that stays open for the run.
    public static func run<T: Sendable>(
        state: ProjectionState, upto: UInt64, participants: [String], blockSize: Int = 1024,
        compute: @escaping @Sendable (borrowing ProjectionView, String) throws -> T,
        consume: (String, T) throws -> Void
    ) throws {
        try state.store.read { snapshot in
            try snapshot.withRecordTable(upto: upto) { records in
                try run(state: state, upto: upto, records: records, participants: participants, blockSize: blockSize,
                        compute: compute, consume: consume)
            }
        }
    }

    private static func run<T: Sendable>(
        state: ProjectionState, upto: UInt64, records: RecordTable, participants: [String], blockSize: Int,
        compute: @escaping @Sendable (borrowing ProjectionView, String) throws -> T,
        consume: (String, T) throws -> Void
    ) throws {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        var inFlight: (block: [String], results: ResultSlots<T>, done: DispatchGroup)?
        // Whatever happens, no worker outlives this call.
        defer { inFlight?.done.wait() }
        var start = 0
        while start < participants.count || inFlight != nil {
            var next: (block: [String], results: ResultSlots<T>, done: DispatchGroup)?
            if start < participants.count {
                let block = Array(participants[start..<min(participants.count, start + blockSize)])
                let results = ResultSlots<T>(count: block.count)
                let done = DispatchGroup()
                DispatchQueue.global().async(group: done) {
                    computeBlock(block, into: results, workers: workers, state: state, upto: upto, records: records, compute: compute)
                }
                next = (block, results, done)
                start += blockSize
            }
            if let current = inFlight {
                current.done.wait()
                inFlight = next
                for (i, participant) in current.block.enumerated() { try consume(participant, try current.results.get(i)) }
            } else {
                inFlight = next
            }
        }
    }

    /// Computes one block on `workers` threads, each reading through a snapshot of its own.
    private static func computeBlock<T: Sendable>(
        _ block: [String], into results: ResultSlots<T>, workers: Int, state: ProjectionState, upto: UInt64, records: RecordTable,
        compute: @escaping @Sendable (borrowing ProjectionView, String) throws -> T
    ) {
        let per = (block.count + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let range = (w * per)..<min(block.count, (w + 1) * per)
            guard !range.isEmpty else { return }
            do {
                try state.view(upto: upto, records: records) { view in
                    for i in range { results.set(i, .success(try compute(view, block[i]))) }
                }
            } catch {
                for i in range { results.setIfEmpty(i, .failure(error)) }
            }
        }
    }
}

/// One result slot per participant of a block, written by workers, read after they finish.
private final class ResultSlots<T: Sendable>: Sendable {
    private let slots: Mutex<[Result<T, any Error>?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func set(_ i: Int, _ r: Result<T, any Error>) {
        slots.withLock { $0[i] = r }
    }

    func setIfEmpty(_ i: Int, _ r: Result<T, any Error>) {
        slots.withLock { if $0[i] == nil { $0[i] = r } }
    }

    func get(_ i: Int) throws -> T {
        guard let r = slots.withLock({ $0[i] }) else { throw ProjectionError("a worker produced no result") }
        return try r.get()
    }
}

/// A projection that could not be computed.
public struct ProjectionError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
