import ArgumentParser

/// `journey-bench`: the store's speed and memory figures, measured against SQLite. Kept out of
/// the user's `journey` binary (which forwards `journey bench ...` here), with its SQLite peer.
@main
struct JourneyBenchTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journey-bench",
        abstract: "Measure import speed, read latency and import memory, with SQLite as the peer.",
        discussion: "Also run as `journey bench`. Commands of the store are timed as their own `journey` processes.",
        subcommands: [BenchRunCommand.self, BenchScaleCommand.self, BenchProjectionsCommand.self, BenchDumpsCommand.self, BenchEncryptionCommand.self,
                      BenchSQLiteImportCommand.self, BenchParseCommand.self, BenchRebuildCommand.self, BenchTimelinesCommand.self],
        defaultSubcommand: BenchRunCommand.self
    )
}
