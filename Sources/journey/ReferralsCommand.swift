import ArgumentParser
import Foundation
import JourneyModel
import Projections

/// `journey referrals`
struct ReferralsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "referrals",
        abstract: "Audit referral chains: refusals, dead ends, cycles (\"sent from pillar to post\"), chains.",
        discussion: """
            A referral is refused when its outcome is refused, no-capacity or not-eligible; a dead \
            end when it was not refused but no contact or experience with the institution referred \
            to followed within --follow-up-days; in a cycle when its ends lie on one cycle of the \
            participant's referral graph.
            """
    )

    @Option(help: ArgumentHelp("Only this participant.", valueName: "P")) var participant: String?
    @OptionGroup var withdrawal: WithdrawalOption
    @OptionGroup var followUp: FollowUpWindowOption
    @Option(help: "How many network edges and chains to list.") var top = 10
    @OptionGroup var options: ProjectionOptions


    struct Row: Encodable {
        let participant: String, at: String, seq: UInt64, eventId: String, from: String, to: String, outcome: String
        let refused: Bool, deadEnd: Bool, chainDepth: Int, inCycle: Bool
    }
    struct Edge: Encodable { let from: String, to: String, referrals: Int, refused: Int, participants: Int }
    struct Output: Encodable { let referrals: [Row], network: [Edge] }

    func run() throws {
        let state = try options.open()
        let (_, audited, directory) = try CohortRun.referrals(state, upto: options.upto, only: participant, windows: options.windows(ProjectionWindows(followUpDays: followUp.followUpDays)), excludeWithdrawn: withdrawal.excludeWithdrawn)
        let network = ReferralAudit.network(audited)
        if options.format == .json {
            return try printJSON(Output(
                referrals: audited.map { Row(participant: $0.participant, at: $0.logged.event.at.text, seq: $0.logged.seq, eventId: $0.logged.event.id,
                                             from: $0.referral.from, to: $0.referral.to, outcome: $0.referral.outcome.rawValue,
                                             refused: $0.refused, deadEnd: $0.deadEnd, chainDepth: $0.chainDepth, inCycle: $0.inCycle) },
                network: network.map { Edge(from: $0.from, to: $0.to, referrals: $0.referrals, refused: $0.refused, participants: $0.participants) }))
        }
        let people = Set(audited.map(\.participant)).count
        print("\(plural(audited.count, "referral")) of \(plural(people, "participant")) (follow-up window \(plural(followUp.followUpDays, "day")))")
        let refused = audited.filter(\.refused), dead = audited.filter(\.deadEnd), cyclic = audited.filter(\.inCycle)
        print("  refused:   \(refused.count) (\(plural(Set(refused.map(\.participant)).count, "participant")))")
        print("  dead ends: \(dead.count) (\(plural(Set(dead.map(\.participant)).count, "participant")))")
        print("  in cycles: \(cyclic.count) (\(plural(Set(cyclic.map(\.participant)).count, "participant")) sent from pillar to post)")
        func show(_ a: AuditedReferral) -> String {
            "  \(a.participant)  \(a.logged.event.at.text)  \(describe(a.referral.from, directory)) -> \(describe(a.referral.to, directory)): \(a.referral.outcome.rawValue)"
        }
        if !cyclic.isEmpty {
            print("\nCycles:")
            for a in cyclic.prefix(top) { print(show(a)) }
        }
        let chains = audited.sorted { $0.chainDepth != $1.chainDepth ? $0.chainDepth > $1.chainDepth : $0.logged.seq < $1.logged.seq }.prefix(top)
        if let longest = chains.first, longest.chainDepth > 1 {
            print("\nLongest chains:")
            for a in chains where a.chainDepth > 1 { print(show(a) + "  (depth \(a.chainDepth))") }
        }
        if !network.isEmpty {
            print("\nBusiest referral edges:")
            for e in network.sorted(by: { $0.referrals != $1.referrals ? $0.referrals > $1.referrals : ($0.from, $0.to) < ($1.from, $1.to) }).prefix(top) {
                print("  \(e.from) -> \(e.to): \(plural(e.referrals, "referral")), \(e.refused) refused, \(plural(e.participants, "participant"))")
            }
        }
    }
}
