import ArgumentParser

/// `journey bench` (filled in below).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Measure import and read speed against SQLite.")
    func run() throws {}
}
