import ArgumentParser
import Foundation
import GRDB
import JourneyBench
import JourneyModel
import JourneyStore

/// `journey-bench sqlite-import FILE DB` (hidden): the SQLite peer, as its own process.
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
