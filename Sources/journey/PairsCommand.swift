import ArgumentParser
import Foundation
import JourneyModel
import Projections

/// `journey pairs`
struct PairsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pairs",
        abstract: "Pair expectations with experiences per participant and institution.",
        discussion: """
            An expectation (plannedFor) and an experience (contactOn) may pair when they are at \
            most --window-days apart; pairs are taken greedily by the smallest gap. Each pair shows \
            the day offset and, per statement item scored on both sides, experienced - expected.
            """
    )

    @Option(help: ArgumentHelp("Only this participant.", valueName: "P")) var participant: String?
    @OptionGroup var withdrawal: WithdrawalOption
    @OptionGroup var pairing: PairingWindowOption
    @OptionGroup var options: ProjectionOptions


    struct Row: Encodable, Sendable {
        let participant: String, institution: String, status: String
        let expectationId: String?, experienceId: String?, plannedFor: String?, contactOn: String?
        let dayOffset: Int?, expectedFulfilment: Int?, items: [Item]
    }
    struct Item: Encodable, Sendable { let item: String, expected: Int, experienced: Int, delta: Int }

    func run() throws {
        let state = try options.open()
        let windowDays = pairing.windowDays
        let rows = try CohortRun.pairs(state, upto: options.upto, only: participant, windows: options.windows(ProjectionWindows(windowDays: windowDays)), excludeWithdrawn: withdrawal.excludeWithdrawn).pairs.map { pair in
            Row(participant: pair.participant, institution: pair.institution, status: pair.status.rawValue,
                expectationId: pair.expectation?.id, experienceId: pair.experience?.id,
                plannedFor: pair.expectation?.data.plannedFor.description, contactOn: pair.experience?.data.contactOn.description,
                dayOffset: pair.dayOffset, expectedFulfilment: pair.expectation?.data.expectedFulfilment,
                items: pair.items.map { Item(item: $0.item, expected: $0.expected, experienced: $0.experienced, delta: $0.delta) })
        }
        if options.format == .json { return try printJSON(rows) }
        let paired = rows.filter { $0.status == "paired" }
        let experiencesOnly = rows.filter { $0.status == "experience-only" }.count
        let expectationsOnly = rows.count - paired.count - experiencesOnly
        print("\(plural(rows.count, "row")): \(paired.count) paired, \(plural(expectationsOnly, "expectation")) unpaired, \(plural(experiencesOnly, "experience")) unpaired (window \(plural(windowDays, "day")))")
        let deltas = paired.flatMap(\.items).map(\.delta)
        if !deltas.isEmpty {
            let mean = Double(deltas.reduce(0, +)) / Double(deltas.count)
            print(String(format: "statement items scored on both sides: %d, mean delta (experienced - expected) %+.2f", deltas.count, mean))
        }
        for r in rows {
            var line = "\(r.participant)  \(r.institution)  \(r.status)"
            if let e = r.expectationId { line += "  expected \(e) for \(r.plannedFor ?? "")" }
            if let x = r.experienceId { line += "  experienced \(x) on \(r.contactOn ?? "")" }
            if let d = r.dayOffset { line += "  offset \(d >= 0 ? "+" : "")\(d)d" }
            if !r.items.isEmpty { line += "  " + r.items.map { "\($0.item) \($0.delta >= 0 ? "+" : "")\($0.delta)" }.joined(separator: ", ") }
            print(line)
        }
    }
}
