import ArgumentParser
import Dumps
import Projections

/// `journey dump --out DIR`
struct DumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Write every projection as tidy CSV tables with stats.json and a datapackage.json.",
        discussion: """
            Writes participants.csv, institutions.csv, timeline.csv, pairs.csv, pair_items.csv,
            referrals.csv, referral_network.csv, stats.json and datapackage.json (a Frictionless
            Data Package describing every column) into DIR, creating it if missing.
            """
    )

    @Option(help: ArgumentHelp("Directory to write into.", valueName: "DIR")) var out: String
    @Option(help: "Pairing window in days.") var windowDays = 7
    @Option(help: "Follow-up window for dead ends, in days.") var followUpDays = 30
    @OptionGroup var options: ProjectionOptions

    func validate() throws {
        try validateDays(windowDays, "--window-days")
        try validateDays(followUpDays, "--follow-up-days")
    }

    func run() throws {
        let state = try options.open()
        let summary = try Dump.write(state: state, upto: options.upto, windowDays: windowDays, followUpDays: followUpDays, to: out)
        print("\(summary.directory): \(summary.files.count) files for \(plural(summary.participants, "participant")) (log up to seq \(summary.upto))")
    }
}
