import ArgumentParser
import Foundation
import GRDB
import JourneyBench
import JourneyModel
import JourneyStore

/// `journey-bench dumps`: `journey dump` in each format and in all of them, as whole processes.
struct BenchDumpsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dumps",
        abstract: "Time journey dump in each format and with --format all on a store (by default the one `journey bench run` left)."
    )

    @Option(help: ArgumentHelp("The store to measure.", valueName: "DIR")) var store = "/tmp/journey-bench/lmdb-store"
    @Option(help: ArgumentHelp("Where the dumps go (replaced each run).", valueName: "DIR")) var out = "/tmp/journey-bench/dumps"
    @Option(help: "Runs per measure (medians are reported).") var runs = 3

    func run() throws {
        let journey = ChildProcess.journeyExecutable
        // Bring the projection state up to date first, so no run pays for a catch-up.
        _ = try ChildProcess.measure([journey, "stats", "--store", store])
        var lines: [String] = []
        for format in ["csv", "jsonl", "sqlite", "spss", "stata", "all"] {
            var seconds: [Double] = [], memory: [Double] = []
            for run in 1...runs {
                try? FileManager.default.removeItem(atPath: out)
                let d = try ChildProcess.measure([journey, "dump", "--out", out, "--format", format, "--store", store])
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
