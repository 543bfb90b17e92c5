import ArgumentParser
import Foundation
import JourneyModel
import Projections

/// `journey compliance`
struct ComplianceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compliance",
        abstract: "Per participant and week: the questionnaire app's prompts, answered, expired, response rate, latency.",
        discussion: """
            Counts the esm.session events that journey import-esm appends (the one-off \
            registration questionnaire left out), by ISO week of the prompt: prompts, answered \
            (completed or partial), expired, missed (unanswered or canceled), the response rate and \
            the median minutes from prompt to start. journey dump writes the same as compliance.csv.
            """
    )

    @Option(help: ArgumentHelp("Only this participant.", valueName: "P")) var participant: String?
    @OptionGroup var withdrawal: WithdrawalOption
    @OptionGroup var options: ProjectionOptions

    struct Row: Encodable, Sendable {
        let participant: String, week: String, weekStart: String
        let prompts: Int, answered: Int, expired: Int, missed: Int
        let responseRate: Double, medianLatencyMinutes: Double?
        let reportedContactLastWeek: Bool?, recordedContactLastWeek: Bool?, expectedContactNextWeek: Bool?, recordedContactNextWeek: Bool?
    }

    func run() throws {
        let state = try options.open()
        let (upto, weeks) = try CohortRun.compliance(state, upto: options.upto, only: participant, windows: options.windows(),
                                                     excludeWithdrawn: withdrawal.excludeWithdrawn)
        if options.format == .json {
            return try printJSON(weeks.map {
                Row(participant: $0.participant, week: $0.week, weekStart: $0.weekStart.description, prompts: $0.prompts, answered: $0.answered,
                    expired: $0.expired, missed: $0.missed, responseRate: ($0.responseRate * 10_000).rounded() / 10_000,
                    medianLatencyMinutes: $0.medianLatencyMinutes.map { ($0 * 10).rounded() / 10 }, reportedContactLastWeek: $0.reportedLastWeek,
                    recordedContactLastWeek: $0.recordedLastWeek, expectedContactNextWeek: $0.expectedNextWeek, recordedContactNextWeek: $0.recordedNextWeek)
            })
        }
        guard !weeks.isEmpty else {
            print("No questionnaire-app sessions in the log (up to seq \(upto)); journey import-esm brings them in.")
            return
        }
        let prompts = weeks.map(\.prompts).reduce(0, +), answered = weeks.map(\.answered).reduce(0, +)
        let people = Set(weeks.map(\.participant)).count
        print("\(plural(prompts, "prompt")) to \(plural(people, "participant")) over \(plural(weeks.count, "participant-week")): "
              + "\(answered) answered (\(String(format: "%.0f", Double(answered) * 100 / Double(prompts)))%), "
              + "\(weeks.map(\.expired).reduce(0, +)) expired, \(weeks.map(\.missed).reduce(0, +)) missed (log up to seq \(upto)).")
        for kind in [QuestionnaireKind.basic, .retrospective, .prospective] {
            let counts = weeks.flatMap(\.byKind).filter { $0.kind == kind }
            let p = counts.map(\.prompts).reduce(0, +), a = counts.map(\.answered).reduce(0, +)
            guard p > 0 else { continue }
            let latencies = counts.compactMap(\.medianLatencyMinutes).sorted()
            let latency = latencies.isEmpty ? "" : String(format: ", median of the weekly median latencies %.1f min", latencies[latencies.count / 2])
            print("  \(kind.rawValue.padded(to: 14)) \(plural(p, "prompt")), \(a) answered (\(String(format: "%.0f", Double(a) * 100 / Double(p)))%)"
                  + ", \(counts.map(\.expired).reduce(0, +)) expired, \(counts.map(\.missed).reduce(0, +)) missed\(latency)")
        }
        // The weekly report against the contacts recorded: a data-quality figure.
        let reports = weeks.compactMap { w in w.reportedLastWeek.flatMap { r in w.recordedLastWeek.map { (r, $0) } } }
        if !reports.isEmpty {
            let agree = reports.filter { $0.0 == $0.1 }.count
            print("Weekly reports of a contact last week that agree with the contacts recorded: \(agree) of \(reports.count) "
                  + "(\(reports.filter { $0.0 && !$0.1 }.count) reported but not recorded, \(reports.filter { !$0.0 && $0.1 }.count) recorded but not reported).")
        }
        var current = ""
        for w in weeks {
            if w.participant != current {
                current = w.participant
                print("\n\(current)")
                print("  week       from        prompts  answered  expired  missed  rate   median latency  contact last week: reported/recorded")
            }
            let latency = w.medianLatencyMinutes.map { String(format: "%.1f min", $0) } ?? "-"
            func yesNo(_ b: Bool?) -> String { b.map { $0 ? "yes" : "no" } ?? "-" }
            let report = w.reportedLastWeek == nil ? "" : "  \(yesNo(w.reportedLastWeek))/\(yesNo(w.recordedLastWeek))"
            print("  \(w.week)   \(w.weekStart)  \(String(w.prompts).padded(to: 7))  \(String(w.answered).padded(to: 8))  \(String(w.expired).padded(to: 7))  \(String(w.missed).padded(to: 6))  \(String(format: "%3.0f%%", w.responseRate * 100))   \(latency.padded(to: 14))\(report)")
        }
    }
}
