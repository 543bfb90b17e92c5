import ArgumentParser
import Foundation
import JourneyBench
import JourneyModel
import JourneyStore
import Projections

/// `journey-bench scale`: a store grown to 10M events, in one file and in ten, with the growth curve.
struct BenchScaleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "Grow a store to 10M events (one file, and ten files one after another) and measure it as it grows.",
        discussion: """
            Imports the workload into an empty store in one file (and into SQLite, the peer), then \
            in --files equal parts one after another into another store. After the parts named by \
            --checkpoints it times a full rebuild, verify and stats; at the end a dump and \
            in-process timelines, before and after journey cluster. Every step runs as its own process; peak heap is the largest \
            anonymous resident memory sampled (the mapped store file not counted), peak RSS all of it. \
            Event counts are checked exactly. Needs about 16 GB of disk for 10M events.
            """
    )

    @Option(help: "Events in the workload.") var events = 10_000_000
    @Option(help: "Participants the events are spread over.") var participants = 200_000
    @Option(help: "Parts the workload is split into for the second store.") var files = 10
    @Option(help: ArgumentHelp("After which parts to measure rebuild, verify and stats (comma-separated).", valueName: "LIST"))
    var checkpoints = "1,2,5,10"
    @Option(help: "In-process timelines to time at the end.") var timelines = 2_000
    @Option(help: ArgumentHelp("Working directory for the workload and stores.", valueName: "DIR")) var work = "/tmp/journey-bench-scale"
    @Flag(name: .customLong("skip-sqlite"), help: "Skip the SQLite peer.") var skipSQLite = false

    func validate() throws {
        if events < files || files < 1 { throw ValidationError("--files must be between 1 and --events") }
    }

    func run() throws {
        let (journey, bench) = (ChildProcess.journeyExecutable, ChildProcess.currentExecutable)
        let workload = try BenchWorkload(events: events, participants: participants).file(in: work)
        let parts = try split(workload)
        var summary: [String] = []
        func step(_ label: String, _ arguments: [String], events count: Int? = nil) throws -> ChildProcess.Measurement {
            let m = try ChildProcess.measure(arguments.first == "bench" ? [bench] + arguments.dropFirst() : [journey] + arguments)
            guard m.exitStatus == 0 else { throw BenchError("\(label) failed with status \(m.exitStatus): \(arguments.joined(separator: " "))") }
            var line = String(format: "%-34@ %8.2f s", label, m.seconds)
            if let count { line += String(format: "  %8.0f ev/s", Double(count) / m.seconds) }
            line += String(format: "  heap %5.0f MB  rss %5.0f MB", Double(m.peakHeapBytes) / 1e6, Double(m.peakMemoryBytes) / 1e6)
            print(line)
            fflush(nil)  // a long run: show each step as it ends, also into a file
            return m
        }

        // One file into an empty store, and into SQLite.
        let single = work + "/one-file-store"
        try? FileManager.default.removeItem(atPath: single)
        let one = try step("import (one file)", ["import", "--store", single, workload], events: events)
        _ = try step("verify (one file)", ["verify", "--store", single])
        try expectCount(single, events)
        summary.append(String(format: "import %d events, one file: %.1f s = %.0f ev/s, heap %.0f MB",
                              events, one.seconds, Double(events) / one.seconds, Double(one.peakHeapBytes) / 1e6))
        if !skipSQLite {
            let sqlite = work + "/peer.sqlite"
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlite + suffix) }
            let peer = try step("sqlite import (one file)", ["bench", "sqlite-import", workload, sqlite], events: events)
            summary.append(String(format: "sqlite peer: %.1f s = %.0f ev/s; ratio %.2fx", peer.seconds, Double(events) / peer.seconds, peer.seconds / one.seconds))
        }
        try? FileManager.default.removeItem(atPath: single)

        // The same events in parts, one after another, with the growth curve.
        let store = work + "/grown-store"
        try? FileManager.default.removeItem(atPath: store)
        let marks = Set(checkpoints.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) })
        var partSeconds: [Double] = []
        var loaded = 0
        for (i, part) in parts.enumerated() {
            let n = try lineCount(part)
            let m = try step("import part \(i + 1)/\(parts.count)", ["import", "--store", store, part], events: n)
            partSeconds.append(m.seconds)
            loaded += n
            guard marks.contains(i + 1) else { continue }
            try expectCount(store, loaded)
            let rebuild = try step("  rebuild at \(loaded)", ["bench", "rebuild", "--store", store])
            let verify = try step("  verify at \(loaded)", ["verify", "--store", store])
            let stats = try step("  stats at \(loaded)", ["stats", "--store", store])
            summary.append(String(format: "at %9d: import of the part %.1f s (heap %.0f MB); rebuild %.2f s (heap %.0f MB); verify %.2f s (heap %.0f MB); stats %.2f s (heap %.0f MB)",
                                  loaded, m.seconds, Double(m.peakHeapBytes) / 1e6, rebuild.seconds, Double(rebuild.peakHeapBytes) / 1e6,
                                  verify.seconds, Double(verify.peakHeapBytes) / 1e6, stats.seconds, Double(stats.peakHeapBytes) / 1e6))
        }
        try expectCount(store, events)
        if partSeconds.count > 1, let first = partSeconds.first, let last = partSeconds.last {
            summary.append(String(format: "last part into a %d-event store: %.1f s, %.2fx the first part's speed", events - events / parts.count, last, first / last))
            // Index merges run in some imports (`IndexMerge`): the parts on average, merges included.
            let mean = partSeconds.reduce(0, +) / Double(partSeconds.count)
            summary.append(String(format: "all %d parts: %.1f s, on average %.2fx the first part's speed (index merges included)",
                                  partSeconds.count, partSeconds.reduce(0, +), first / mean))
        }
        let dumpDir = work + "/dump"
        try? FileManager.default.removeItem(atPath: dumpDir)
        let dump = try step("dump at \(loaded)", ["dump", "--out", dumpDir, "--store", store])
        summary.append(String(format: "dump at %d: %.1f s (heap %.0f MB)", loaded, dump.seconds, Double(dump.peakHeapBytes) / 1e6))
        try? FileManager.default.removeItem(atPath: dumpDir)

        let (p50, p99) = try BenchTimelinesCommand.measure(store: store, participants: participants, count: timelines)
        summary.append(String(format: "timeline in-process at %d (%d participants): p50 %.1f us, p99 %.1f us", loaded, timelines, p50, p99))
        // The same after `journey cluster` (each participant's records copied together).
        let cluster = try step("cluster at \(loaded)", ["cluster", "--store", store])
        let (clusteredP50, clusteredP99) = try BenchTimelinesCommand.measure(store: store, participants: participants, count: timelines)
        summary.append(String(format: "cluster at %d: %.1f s (heap %.0f MB); timeline in-process then: p50 %.1f us, p99 %.1f us",
                              loaded, cluster.seconds, Double(cluster.peakHeapBytes) / 1e6, clusteredP50, clusteredP99))
        print("")
        for line in summary { print(line) }
    }

    /// The workload in `files` parts of (nearly) equal line counts, made once.
    private func split(_ workload: String) throws -> [String] {
        let paths = (1...files).map { "\(work)/part-\(events)-\(participants)-\($0)-of-\(files).jsonl" }
        if paths.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) { return paths }
        print("splitting the workload into \(files) parts")
        let perPart = (events + files - 1) / files
        var part = 0, inPart = 0
        var out = try openOutput(paths[0])
        try EventPipeline.forEachLine(of: workload) { line, _ in
            if inPart == perPart {
                out.closeFile()
                part += 1
                inPart = 0
                out = try openOutput(paths[part])
            }
            out.write(Data(line))
            out.write(Data([10]))
            inPart += 1
        }
        out.closeFile()
        return paths
    }

    private func openOutput(_ path: String) throws -> FileHandle {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw BenchError("\(path): cannot write") }
        return handle
    }

    private func lineCount(_ path: String) throws -> Int {
        var n = 0
        try EventPipeline.forEachLine(of: path) { _, _ in n += 1 }
        return n
    }

    private func expectCount(_ store: String, _ expected: Int) throws {
        let count = try EventStore(directory: store).head().seq
        guard count == UInt64(expected) else { throw BenchError("\(store): \(count) events, expected \(expected)") }
    }
}
