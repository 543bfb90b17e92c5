import ArgumentParser
import Foundation
import JourneyBench
import JourneyStore

/// `journey-bench encryption`: what encryption at rest costs, plain and sealed side by side.
struct BenchEncryptionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encryption",
        abstract: "Time import and full projection rebuild into a plain and an encrypted store, side by side.",
        discussion: """
            The workload is the one `journey bench run` uses. Each run imports it into an empty \
            plain store and an empty encrypted store (each import its own process, durable at the \
            end), then rebuilds all four projections of both (`journey bench rebuild`, each its own \
            process, timed whole). Medians over --runs \
            and the encrypted store's throughput as a share of the plain store's are reported.
            """
    )

    @Option(help: "Events in the workload.") var events = 1_000_000
    @Option(help: "Participants the events are spread over.") var participants = 20_000
    @Option(help: "Runs (medians are reported).") var runs = 3
    @Option(help: ArgumentHelp("Working directory for the workload, stores and key.", valueName: "DIR")) var work = "/tmp/journey-bench"

    func run() throws {
        let fm = FileManager.default
        let file = try BenchWorkload(events: events, participants: participants).file(in: work)
        let (journey, bench) = (ChildProcess.journeyExecutable, ChildProcess.currentExecutable)
        let keyFile = "\(work)/bench-master.key"
        if !fm.fileExists(atPath: keyFile) { _ = try MasterKey.create(path: keyFile) }
        let plain = "\(work)/plain-store", sealed = "\(work)/sealed-store"

        var importPlain: [Double] = [], importSealed: [Double] = [], rebuildPlain: [Double] = [], rebuildSealed: [Double] = []
        for run in 1...runs {
            for encrypted in [false, true] {
                let store = encrypted ? sealed : plain
                try? fm.removeItem(atPath: store)
                var command = [journey, "import", "--store", store, file]
                if encrypted {
                    let made = try ChildProcess.measure([journey, "init", "--encrypt", "--store", store, "--key-file", keyFile])
                    guard made.exitStatus == 0 else { throw BenchError("journey init --encrypt failed with status \(made.exitStatus)") }
                    command += ["--key-file", keyFile]
                }
                let m = try ChildProcess.measure(command)
                guard m.exitStatus == 0 else { throw BenchError("journey import failed with status \(m.exitStatus)") }
                (encrypted ? { importSealed.append(m.seconds) } : { importPlain.append(m.seconds) })()
                print(String(format: "run %d  import %@  %.3f s  %8.0f events/s  peak %.0f MB", run, encrypted ? "encrypted" : "plain    ",
                             m.seconds, Double(events) / m.seconds, Double(m.peakMemoryBytes) / 1e6))
            }
            for encrypted in [false, true] {
                var command = [bench, "rebuild", "--store", encrypted ? sealed : plain]
                if encrypted { command += ["--key-file", keyFile] }
                let m = try ChildProcess.measure(command)
                guard m.exitStatus == 0 else { throw BenchError("journey bench rebuild failed with status \(m.exitStatus)") }
                (encrypted ? { rebuildSealed.append(m.seconds) } : { rebuildPlain.append(m.seconds) })()
                print(String(format: "run %d  rebuild %@ %.3f s  peak %.0f MB", run, encrypted ? "encrypted" : "plain    ",
                             m.seconds, Double(m.peakMemoryBytes) / 1e6))
            }
        }
        let sizes = [plain, sealed].map { (try? EventStore(directory: $0).sizeOnDisk()) ?? 0 }
        print("")
        for (name, p, s) in [("import", importPlain, importSealed), ("rebuild", rebuildPlain, rebuildSealed)] {
            let (mp, ms) = (Stats.median(p), Stats.median(s))
            print(String(format: "%@ (median): plain %.3f s = %.0f events/s; encrypted %.3f s = %.0f events/s; encrypted throughput %.0f%% of plain (cost %.0f%%)",
                         name, mp, Double(events) / mp, ms, Double(events) / ms, 100 * mp / ms, 100 * (1 - mp / ms)))
        }
        print(String(format: "store size: plain %.0f MB, encrypted %.0f MB", Double(sizes[0]) / 1e6, Double(sizes[1]) / 1e6))
    }
}
