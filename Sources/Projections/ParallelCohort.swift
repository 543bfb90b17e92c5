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
        try runBatches(state: state, upto: upto, participants: participants, blockSize: blockSize, compute: { view, run in
            var results: [T] = []
            results.reserveCapacity(run.count)
            for p in run { results.append(try compute(view, p)) }
            return results
        }, consume: { run, results in
            for (p, result) in zip(run, results) { try consume(p, result) }
        })
    }

    /// As `run`, but `compute` takes a run of consecutive participants at a time (a worker's
    /// share of a block) and gives one result for all of them, so per-participant results can
    /// be gathered into one buffer; `consume` takes the runs in order with their results. A run
    /// of at most `directAtMost` participants is computed on the calling thread, its journeys
    /// read directly.
    public static func runBatches<T: Sendable>(
        state: ProjectionState, upto: UInt64, participants: [String], blockSize: Int = 1024,
        compute: @escaping @Sendable (borrowing ProjectionView, ArraySlice<String>) throws -> T,
        consume: (ArraySlice<String>, T) throws -> Void
    ) throws {
        // A few participants (`--participant P`): their journeys are read directly (through the
        // clustered copy where there is one), without listing the whole log first.
        guard !participants.isEmpty else { return }
        if participants.count <= directAtMost {
            let run = participants[...]
            let result = try state.view(upto: upto) { view in try compute(view, run) }
            return try consume(run, result)
        }
        try state.store.read { snapshot in
            try snapshot.withRecordTable(upto: upto) { records in
                try runBatches(state: state, upto: upto, records: records, participants: participants, blockSize: blockSize,
                               compute: compute, consume: consume)
            }
        }
    }

    /// Runs of at most this many participants are computed on the calling thread.
    static let directAtMost = 4

    private static func runBatches<T: Sendable>(
        state: ProjectionState, upto: UInt64, records: RecordTable, participants: [String], blockSize: Int,
        compute: @escaping @Sendable (borrowing ProjectionView, ArraySlice<String>) throws -> T,
        consume: (ArraySlice<String>, T) throws -> Void
    ) throws {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        typealias Block = (runs: [ArraySlice<String>], results: ResultSlots<T>, done: DispatchGroup)
        var inFlight: Block?
        // Whatever happens, no worker outlives this call.
        defer { inFlight?.done.wait() }
        var start = 0
        while start < participants.count || inFlight != nil {
            var next: Block?
            if start < participants.count {
                let end = min(participants.count, start + blockSize)
                let per = (end - start + workers - 1) / workers
                let runs = stride(from: start, to: end, by: per).map { participants[$0..<min(end, $0 + per)] }
                let results = ResultSlots<T>(count: runs.count)
                let done = DispatchGroup()
                DispatchQueue.global().async(group: done) {
                    computeBlock(runs, into: results, state: state, upto: upto, records: records, compute: compute)
                }
                next = (runs, results, done)
                start = end
            }
            if let current = inFlight {
                current.done.wait()
                inFlight = next
                for (i, run) in current.runs.enumerated() { try consume(run, try current.results.take(i)) }
            } else {
                inFlight = next
            }
        }
    }

    /// Computes one block's runs, one per worker thread, each reading through a snapshot of its own.
    private static func computeBlock<T: Sendable>(
        _ runs: [ArraySlice<String>], into results: ResultSlots<T>, state: ProjectionState, upto: UInt64, records: RecordTable,
        compute: @escaping @Sendable (borrowing ProjectionView, ArraySlice<String>) throws -> T
    ) {
        DispatchQueue.concurrentPerform(iterations: runs.count) { w in
            do {
                let result = try state.view(upto: upto, records: records) { view in try compute(view, runs[w]) }
                results.set(w, .success(result))
            } catch {
                results.set(w, .failure(error))
            }
        }
    }
}

/// One result slot per run of a block, written by workers, taken after they finish.
private final class ResultSlots<T: Sendable>: Sendable {
    private let slots: Mutex<[Result<T, any Error>?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func set(_ i: Int, _ r: Result<T, any Error>) {
        slots.withLock { $0[i] = r }
    }

    /// The result of slot `i`, moved out (not copied).
    func take(_ i: Int) throws -> T {
        guard let r = slots.withLock({ $0[i].take() }) else { throw ProjectionError("a worker produced no result") }
        return try r.get()
    }
}

/// A projection that could not be computed.
public struct ProjectionError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
