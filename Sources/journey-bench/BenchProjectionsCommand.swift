import ArgumentParser
import Foundation
import GRDB
import JourneyBench
import JourneyModel
import JourneyStore

/// `journey-bench projections`: the projection engine's figures on a 1M-event store.
struct BenchProjectionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projections",
        abstract: "Time a full rebuild, a catch-up, a timeline and a dump on a store (by default the one `journey bench run` left).",
        discussion: "The store is changed: catch-up runs import extra events into it."
    )

    @Option(help: ArgumentHelp("The store to measure.", valueName: "DIR")) var store = "/tmp/journey-bench/lmdb-store"
    @Option(help: "Runs per measure (medians are reported).") var runs = 3
    @Option(help: "Events imported before each catch-up.") var extra = 1_000

    func run() throws {
        let opened = try EventStore(directory: store, writable: true)
        let (journey, bench) = (ChildProcess.journeyExecutable, ChildProcess.currentExecutable)
        var state: [Double] = [], projections: [Double] = [], memory: [Double] = [], catchUps: [Double] = []
        for run in 1...runs {
            let m = try ChildProcess.measure([bench, "rebuild", "--store", store])
            guard m.exitStatus == 0 else { throw BenchError("rebuild failed with status \(m.exitStatus)") }
            memory.append(Double(m.peakMemoryBytes) / 1e6)
            let load = try ProjectionBench.loadOnly(opened)
            let r = try ProjectionBench.rebuild(opened)
            print(String(format: "run %d  loading every journey alone (decode and order by time): %.3f s", run, load))
            state.append(r.stateSeconds)
            projections.append(r.projectionsSeconds)
            print(String(format: "run %d  rebuild: state %.3f s + all four projections %.3f s (%llu events, %d participants), child peak %.0f MB",
                         run, r.stateSeconds, r.projectionsSeconds, r.events, r.participants, memory.last ?? 0))
            let c = try ProjectionBench.catchUp(opened, count: extra, work: (store as NSString).deletingLastPathComponent, run: run)
            catchUps.append(c.seconds)
            print(String(format: "run %d  catch-up of %d events: %.1f ms", run, c.applied, c.seconds * 1000))
        }
        var timelines: [Double] = []
        for i in 0..<21 {
            let t = try ChildProcess.measure([journey, "timeline", String(format: "P%06d", i * 953 % 20000), "--store", store])
            guard t.exitStatus == 0 else { throw BenchError("timeline failed with status \(t.exitStatus)") }
            timelines.append(t.seconds * 1000)
        }
        var dumps: [Double] = [], dumpMemory: [Double] = []
        for _ in 1...runs {
            let d = try ChildProcess.measure([journey, "dump", "--out", "/tmp/journey-bench/dump", "--store", store])
            guard d.exitStatus == 0 else { throw BenchError("dump failed with status \(d.exitStatus)") }
            dumps.append(d.seconds)
            dumpMemory.append(Double(d.peakMemoryBytes) / 1e6)
        }
        print("")
        print(String(format: "full rebuild (median): state %.3f s + four projections %.3f s = %.3f s; peak memory %.0f MB",
                     Stats.median(state), Stats.median(projections), Stats.median(zip(state, projections).map { $0 + $1 }), Stats.median(memory)))
        print(String(format: "catch-up after %d events (median): %.1f ms", extra, Stats.median(catchUps) * 1000))
        print(String(format: "journey timeline, whole process (median of 21): %.1f ms", Stats.median(timelines)))
        print(String(format: "journey dump, whole process (median): %.2f s; peak memory %.0f MB", Stats.median(dumps), Stats.median(dumpMemory)))
    }
}
