import ArgumentParser
import Foundation
import GRDB
import JourneyBench
import JourneyModel
import JourneyStore

/// `journey bench`: the store's speed and memory figures, measured against SQLite.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure import speed, read latency and import memory, with SQLite as the peer.",
        subcommands: [BenchRunCommand.self, BenchScaleCommand.self, BenchProjectionsCommand.self, BenchDumpsCommand.self, BenchEncryptionCommand.self, BenchSQLiteImportCommand.self, BenchParseCommand.self, BenchRebuildCommand.self, BenchTimelinesCommand.self],
        defaultSubcommand: BenchRunCommand.self
    )
}

/// `journey bench run` (the default).
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
    @Flag(help: "Skip the SQLite peer.") var skipSQLite = false

    func run() throws {
        let fm = FileManager.default
        let file = try BenchWorkload(events: events, participants: participants).file(in: work)
        let size = (try fm.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        print("workload: \(events) events, \(size / max(events, 1)) bytes/event on average")
        let me = ChildProcess.currentExecutable

        var lmdbTimes: [Double] = [], lmdbMemory: [Int] = [], sqliteTimes: [Double] = [], sqliteMemory: [Int] = []
        let store = "\(work)/lmdb-store"
        let sqlite = "\(work)/peer.sqlite"
        for run in 1...runs {
            try? fm.removeItem(atPath: store)
            let m = try ChildProcess.measure([me, "import", "--store", store, file])
            guard m.exitStatus == 0 else { throw BenchError("journey import failed with status \(m.exitStatus)") }
            lmdbTimes.append(m.seconds)
            lmdbMemory.append(m.peakMemoryBytes)
            print(String(format: "run %d  lmdb    %.3f s  %8.0f events/s  peak %.0f MB", run, m.seconds, Double(events) / m.seconds, Double(m.peakMemoryBytes) / 1e6))
            if !skipSQLite {
                for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: sqlite + suffix) }
                let s = try ChildProcess.measure([me, "bench", "sqlite-import", file, sqlite])
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

/// `journey bench sqlite-import FILE DB` (hidden): the SQLite peer, as its own process.
struct BenchSQLiteImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sqlite-import", abstract: "Import a workload into SQLite (the benchmark's peer).", shouldDisplay: false)

    @Argument(help: "JSON Lines file.") var file: String
    @Argument(help: "SQLite database to create.") var database: String

    func run() throws {
        let n = try SQLitePeer.importFile(file, into: database)
        print("sqlite: \(n) events")
    }
}

/// `journey bench parse FILE` (hidden): times the line pipeline alone, without storage.
struct BenchParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse", abstract: "Time parsing and validating a workload, without storing it.", shouldDisplay: false)

    @Argument(help: "JSON Lines file.") var file: String
    @Flag(help: "Also compact and build hash-chained records.") var records = false

    func run() throws {
        var pipeline = EventPipeline()
        var n = 0
        let t0 = DispatchTime.now().uptimeNanoseconds
        try EventPipeline.forEachLine(of: file) { line, number in
            if records {
                if try pipeline.process(line, seq: UInt64(n + 1), number: number) != nil { n += 1 }
            } else {
                do { _ = try EventParser.parse(line) } catch { throw StoreError("line \(number): \(error)") }
                n += 1
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        print(String(format: "%d events in %.3f s: %.0f events/s, %.2f us/event", n, seconds, Double(n) / seconds, seconds * 1e6 / Double(n)))
    }
}

/// `journey bench projections`: the projection engine's figures on a 1M-event store.
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
        let me = ChildProcess.currentExecutable
        var state: [Double] = [], projections: [Double] = [], memory: [Double] = [], catchUps: [Double] = []
        for run in 1...runs {
            let m = try ChildProcess.measure([me, "bench", "rebuild", "--store", store])
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
            let t = try ChildProcess.measure([me, "timeline", String(format: "P%06d", i * 953 % 20000), "--store", store])
            guard t.exitStatus == 0 else { throw BenchError("timeline failed with status \(t.exitStatus)") }
            timelines.append(t.seconds * 1000)
        }
        var dumps: [Double] = [], dumpMemory: [Double] = []
        for _ in 1...runs {
            let d = try ChildProcess.measure([me, "dump", "--out", "/tmp/journey-bench/dump", "--store", store])
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

/// `journey bench dumps`: `journey dump` in each format and in all of them, as whole processes.
struct BenchDumpsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dumps",
        abstract: "Time journey dump in each format and with --format all on a store (by default the one `journey bench run` left)."
    )

    @Option(help: ArgumentHelp("The store to measure.", valueName: "DIR")) var store = "/tmp/journey-bench/lmdb-store"
    @Option(help: ArgumentHelp("Where the dumps go (replaced each run).", valueName: "DIR")) var out = "/tmp/journey-bench/dumps"
    @Option(help: "Runs per measure (medians are reported).") var runs = 3

    func run() throws {
        let me = ChildProcess.currentExecutable
        // Bring the projection state up to date first, so no run pays for a catch-up.
        _ = try ChildProcess.measure([me, "stats", "--store", store])
        var lines: [String] = []
        for format in ["csv", "jsonl", "sqlite", "spss", "stata", "all"] {
            var seconds: [Double] = [], memory: [Double] = []
            for run in 1...runs {
                try? FileManager.default.removeItem(atPath: out)
                let d = try ChildProcess.measure([me, "dump", "--out", out, "--format", format, "--store", store])
                guard d.exitStatus == 0 else { throw BenchError("dump --format \(format) failed with status \(d.exitStatus)") }
                seconds.append(d.seconds)
                memory.append(Double(d.peakMemoryBytes) / 1e6)
                print(String(format: "run %d  dump --format %@: %.2f s, peak %.0f MB", run, format, d.seconds, memory.last ?? 0))
            }
            let bytes = (try? FileManager.default.contentsOfDirectory(atPath: out))?.reduce(0) { total, name in
                total + ((try? FileManager.default.attributesOfItem(atPath: out + "/" + name)[.size] as? Int) ?? 0)
            } ?? 0
            lines.append(String(format: "dump --format %-6@ (median): %6.2f s; peak memory %4.0f MB; %5.0f MB written",
                                format, Stats.median(seconds), Stats.median(memory), Double(bytes) / 1e6))
        }
        print("")
        for line in lines { print(line) }
    }
}

/// `journey bench rebuild` (hidden): one full rebuild, as its own process, for peak memory.
struct BenchRebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rebuild", abstract: "Rebuild the projections of a store once.", shouldDisplay: false)
    @Option(help: ArgumentHelp("The store.", valueName: "DIR")) var store: String
    @Option(name: .customLong("key-file"), help: ArgumentHelp("The master key, for an encrypted store.", valueName: "PATH")) var keyFile: String?

    func run() throws {
        let key = try keyFile.map { try MasterKey.load(path: $0) }
        let r = try ProjectionBench.rebuild(try EventStore(directory: store, writable: true, key: key))
        print(String(format: "rebuild: state %.3f s, projections %.3f s", r.stateSeconds, r.projectionsSeconds))
    }
}
