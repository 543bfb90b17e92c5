import ArgumentParser
import Foundation
import GRDB
import JourneyBench
import JourneyModel
import JourneyStore

/// `journey-bench run` (the default).
struct BenchRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Generate the workload, import it into LMDB and SQLite side by side, and time reads.",
        discussion: """
            Each import runs as its own process into an empty store, durable at the end; the \
            figures are medians over --runs. Peak memory is the import process's maximum RSS. \
            Reads fetch one participant's events in-process from the last LMDB store.
            """
    )

    @Option(help: "Events in the workload.") var events = 1_000_000
    @Option(help: "Participants the events are spread over.") var participants = 20_000
    @Option(help: "Import runs per engine (the median is reported).") var runs = 3
    @Option(help: "Participant reads to time.") var reads = 5_000
    @Option(help: ArgumentHelp("Working directory for the workload and stores.", valueName: "DIR")) var work = "/tmp/journey-bench"
    @Flag(name: .customLong("skip-sqlite"), help: "Skip the SQLite peer.") var skipSQLite = false

    func run() throws {
        let fm = FileManager.default
        let file = try BenchWorkload(events: events, participants: participants).file(in: work)
        let size = (try fm.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        print("workload: \(events) events, \(size / max(events, 1)) bytes/event on average")
        let (journey, bench) = (ChildProcess.journeyExecutable, ChildProcess.currentExecutable)

        var lmdbTimes: [Double] = [], lmdbMemory: [Int] = [], sqliteTimes: [Double] = [], sqliteMemory: [Int] = []
        let store = "\(work)/lmdb-store"
        let sqlite = "\(work)/peer.sqlite"
        for run in 1...runs {
            try? fm.removeItem(atPath: store)
            let m = try ChildProcess.measure([journey, "import", "--store", store, file])
            guard m.exitStatus == 0 else { throw BenchError("journey import failed with status \(m.exitStatus)") }
            lmdbTimes.append(m.seconds)
            lmdbMemory.append(m.peakMemoryBytes)
            print(String(format: "run %d  lmdb    %.3f s  %8.0f events/s  peak %.0f MB", run, m.seconds, Double(events) / m.seconds, Double(m.peakMemoryBytes) / 1e6))
            if !skipSQLite {
                for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: sqlite + suffix) }
                let s = try ChildProcess.measure([bench, "sqlite-import", file, sqlite])
                guard s.exitStatus == 0 else { throw BenchError("SQLite import failed with status \(s.exitStatus)") }
                sqliteTimes.append(s.seconds)
                sqliteMemory.append(s.peakMemoryBytes)
                print(String(format: "run %d  sqlite  %.3f s  %8.0f events/s  peak %.0f MB", run, s.seconds, Double(events) / s.seconds, Double(s.peakMemoryBytes) / 1e6))
            }
        }

        let opened = try EventStore(directory: store)
        let info = try opened.info()
        var latencies: [Double] = []
        var rng = SeededRandom(seed: 7)
        var total = 0
        for _ in 0..<reads {
            let p = "P" + String(format: "%06d", Int(rng.next() % UInt64(participants)))
            let t0 = DispatchTime.now().uptimeNanoseconds
            let n = try opened.read { try $0.events(ofParticipant: p).count }
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000)
            total += n
        }

        let lmdbMedian = Stats.median(lmdbTimes)
        print("")
        print("store: \(info.events) events, \(info.participants) participants, \(info.sizeOnDisk / 1_000_000) MB on disk")
        print(String(format: "import lmdb:   median %.3f s = %.0f events/s, peak memory median %.0f MB",
                     lmdbMedian, Double(events) / lmdbMedian, Stats.median(lmdbMemory.map(Double.init)) / 1e6))
        if !skipSQLite {
            let sqliteMedian = Stats.median(sqliteTimes)
            print(String(format: "import sqlite: median %.3f s = %.0f events/s, peak memory median %.0f MB",
                         sqliteMedian, Double(events) / sqliteMedian, Stats.median(sqliteMemory.map(Double.init)) / 1e6))
            print(String(format: "ratio: lmdb is %.2fx sqlite", sqliteMedian / lmdbMedian))
        }
        print(String(format: "participant read (%d reads, %.1f events each): p50 %.1f us, p99 %.1f us",
                     reads, Double(total) / Double(max(reads, 1)), Stats.percentile(latencies, 50), Stats.percentile(latencies, 99)))
    }
}
