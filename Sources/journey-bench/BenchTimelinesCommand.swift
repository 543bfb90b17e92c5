import ArgumentParser
import Foundation
import JourneyBench
import JourneyModel
import JourneyStore
import Projections

/// `journey-bench timelines` (hidden): one participant's journey by time, in-process, for random
/// participants of a store (`P000000`... as the benchmark workload names them).
struct BenchTimelinesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timelines", abstract: "Time in-process timelines of random participants.", shouldDisplay: false)
    @Option(help: ArgumentHelp("The store.", valueName: "DIR")) var store: String
    @Option(help: "Participants in the workload.") var participants = 200_000
    @Option(help: "Timelines to time.") var count = 2_000
    @Flag(help: "Read the same participants once before timing them (a reader that has read them before: their pages mapped).")
    var again = false

    func run() throws {
        let (p50, p99) = try Self.measure(store: store, participants: participants, count: count, readFirst: again)
        print(String(format: "timeline in-process (%d participants%@): p50 %.1f us, p99 %.1f us", count, again ? ", read before" : "", p50, p99))
    }

    /// p50 and p99 in microseconds of `count` timelines of random participants (with
    /// `readFirst`, each read once before the timed pass).
    static func measure(store: String, participants: Int, count: Int, readFirst: Bool = false) throws -> (Double, Double) {
        let state = try ProjectionState(store: try EventStore(directory: store, writable: true))
        try state.catchUp()
        if readFirst {
            var rng = SeededRandom(seed: 11)
            for _ in 0..<count {
                let p = "P" + String(format: "%06d", Int(rng.next() % UInt64(participants)))
                _ = try state.view { view in try view.journey(of: p).count }
            }
        }
        var rng = SeededRandom(seed: 11)
        var latencies: [Double] = []
        for _ in 0..<count {
            let p = "P" + String(format: "%06d", Int(rng.next() % UInt64(participants)))
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = try state.view { view in try view.journey(of: p).count }
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000)
        }
        return (Stats.percentile(latencies, 50), Stats.percentile(latencies, 99))
    }
}
