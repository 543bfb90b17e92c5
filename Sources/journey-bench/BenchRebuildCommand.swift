import ArgumentParser
import Foundation
import GRDB
import JourneyBench
import JourneyModel
import JourneyStore

/// `journey-bench rebuild` (hidden): one full rebuild, as its own process, for peak memory.
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
