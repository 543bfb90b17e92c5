import Foundation
import JourneyModel
import JourneyStore
import Projections

/// Measures the projection engine on a store: a full rebuild of the state and of all four
/// projections, and a catch-up after new events.
public enum ProjectionBench {
    /// What one full rebuild took.
    public struct Rebuild: Sendable {
        /// Rebuilding the persisted state (retractions, codings, checkpoint) from the log.
        public let stateSeconds: Double
        /// Computing all four projections for every participant (journeys, pairs, counts, audit).
        public let projectionsSeconds: Double
        public let events: UInt64
        public let participants: Int
    }

    /// Rebuilds the state of `store` and computes every projection from it.
    public static func rebuild(_ store: EventStore) throws -> Rebuild {
        let state = try ProjectionState(store: store)
        let t0 = DispatchTime.now().uptimeNanoseconds
        try state.rebuild()
        let t1 = DispatchTime.now().uptimeNanoseconds
        let (upto, participants, directory) = try state.view { v in (v.upto, try v.participants(), try v.codings()) }
        var tally = CohortStats.Tally(directory: directory)
        var pairs = 0, referrals = 0
        try CohortRun.each(state, upto: upto, participants: participants, form: .compact, render: { projection in
            (projection.facts, projection.pairRows().count, projection.auditRows().count)
        }, consume: { _, r in
            tally.add(r.0)
            pairs += r.1
            referrals += r.2
        })
        let stats = tally.stats()
        let t2 = DispatchTime.now().uptimeNanoseconds
        guard stats.participants == participants.count, pairs >= 0, referrals >= 0 else { throw BenchError("inconsistent rebuild") }
        return Rebuild(stateSeconds: Double(t1 - t0) / 1e9, projectionsSeconds: Double(t2 - t1) / 1e9,
                       events: upto, participants: participants.count)
    }

    /// Seconds to load (decode and order) every participant's journey, with no projection work.
    public static func loadOnly(_ store: EventStore) throws -> Double {
        let state = try ProjectionState(store: store)
        try state.catchUp()
        let (upto, participants) = try state.view { v in (v.upto, try v.participants()) }
        let t0 = DispatchTime.now().uptimeNanoseconds
        var events = 0
        try ParallelCohort.run(state: state, upto: upto, participants: participants, compute: { view, p in
            try view.compactJourney(of: p).count
        }, consume: { _, n in events += n })
        guard events > 0 else { throw BenchError("no events") }
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    }

    /// Imports `count` new contact events into `store` (not timed), then times the catch-up.
    public static func catchUp(_ store: EventStore, count: Int, work: String, run: Int) throws -> (seconds: Double, applied: Int) {
        let state = try ProjectionState(store: store)
        try state.catchUp()
        let file = "\(work)/extra-\(run).jsonl"
        let lines = (0..<count).map { i in
            #"{"id":"extra-\#(run)-\#(i)-\#(Timestamp.nowMicros())","type":"contact","participant":"P\#(String(format: "%06d", i * 7 % 20000))","at":"2024-06-01","source":"esm","data":{"institution":"gp-\#(i % 8 + 1)","role":"practice nurse"}}"#
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let report = try store.importFile(file)
        guard report.succeeded, report.appended == count else { throw BenchError("extra import failed: \(report.errors.first?.message ?? "")") }
        let t0 = DispatchTime.now().uptimeNanoseconds
        let applied = try state.catchUp()
        return (Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9, applied)
    }
}
