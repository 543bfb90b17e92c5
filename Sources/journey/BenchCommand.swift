import ArgumentParser
import Foundation

/// `journey bench ...`: runs `journey-bench ...` (built beside `journey`), so the benchmark
/// harness and its SQLite peer stay out of the user's binary.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure import speed, read latency and import memory, with SQLite as the peer (runs journey-bench).",
        discussion: """
            Runs `journey-bench` with the same arguments: `journey bench` (the default run), \
            `journey bench scale`, `projections`, `dumps`, `encryption`. `journey bench SUBCOMMAND --help` \
            describes each.
            """
    )

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The benchmark and its options.", valueName: "ARGUMENTS"))
    var arguments: [String] = []

    func run() throws {
        let tool = (Self.executable as NSString).deletingLastPathComponent + "/journey-bench"
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            // Help is this command's own, and still there without the harness.
            if arguments.contains(where: { $0 == "--help" || $0 == "-h" }) { return print(Self.helpMessage()) }
            throw CommandError("\(tool) is missing: build it with `swift build -c release` (the product journey-bench)")
        }
        let argv = ([tool] + arguments).map { strdup($0) } + [nil]
        execv(tool, argv)
        throw CommandError("cannot run \(tool): \(String(cString: strerror(errno)))")
    }

    /// The absolute path of this executable.
    private static var executable: String {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        #endif
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }
}
