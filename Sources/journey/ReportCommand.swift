import ArgumentParser
import Foundation
import Projections
import Report

/// `journey report --out DIR`
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained visual HTML report: a cohort page and one page per participant.",
        discussion: """
            DIR/index.html shows the cohort (institutions per participant; by chain, category and \
            level; participants per institution; expected vs experienced per statement item; \
            referral outcomes and the busiest referral routes). DIR/participants/<P>.html shows \
            each journey as swimlanes over time. No network is needed: the pages carry their own \
            SVG and CSS and open from disk.
            """
    )

    @Option(help: ArgumentHelp("Directory to write the report into (created if missing).", valueName: "DIR")) var out = "journey-report"
    @OptionGroup var withdrawal: WithdrawalOption
    @OptionGroup var windows: WindowOptions
    @OptionGroup var replay: ReplayOptions
    @OptionGroup var audit: AuditOption

    func run() throws {
        let state = try replay.open()
        // Recorded before the pages are moved into place: no report goes unrecorded.
        let summary = try JourneyReport.write(state: state, upto: replay.upto, windows: replay.windows(windows.windows), excludeWithdrawn: withdrawal.excludeWithdrawn,
                                              to: out) { summary in
            try audit.record("report", in: state.store, ["dir": summary.directory, "upto": String(summary.upto), "participants": String(summary.participants)])
        }
        let index = URL(fileURLWithPath: summary.directory).appendingPathComponent("index.html").standardizedFileURL.path
        print("Report: open \(index) (\(plural(summary.participants, "participant page")), log up to seq \(summary.upto))")
    }
}
