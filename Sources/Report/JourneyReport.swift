import Foundation
import JourneyModel
import Projections

/// `journey report`: a self-contained HTML report (inline SVG and CSS, no network) with a cohort
/// page (`index.html`) and one page per participant (`participants/<P>.html`).
public enum JourneyReport {
    /// What was written.
    public struct Summary: Sendable {
        public let directory: String
        public let upto: UInt64
        public let participants: Int
    }

    /// What the cohort page needs from one participant.
    struct Contribution: Sendable {
        let facts: ParticipantFacts
        let page: String
        let items: [PairItem]
        let referrals: [(outcome: ReferralOutcome, refused: Bool, deadEnd: Bool, inCycle: Bool)]
        let edges: [ReferralEdge]
        let compliance: [ComplianceWeek]
    }

    /// Writes the report of the log as of `upto` into `directory` (created if missing). Pages
    /// are written under temporary names and renamed, so an existing report is replaced whole.
    public static func write(
        state: ProjectionState, upto: UInt64? = nil, windowDays: Int = 7, followUpDays: Int = 30, to directory: String
    ) throws -> Summary {
        let fm = FileManager.default
        let pagesDir = directory + "/participants"
        do {
            try fm.createDirectory(atPath: pagesDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ReportError("\(directory): cannot create the report directory: \(error.localizedDescription)")
        }
        return try state.view(upto: upto) { view in
            let participants = try view.participants()
            let directoryOfCodings = try view.codings()
            var facts: [ParticipantFacts] = []
            var items: [PairItem] = []
            var referrals: [(outcome: ReferralOutcome, refused: Bool, deadEnd: Bool, inCycle: Bool)] = []
            var edges: [ReferralEdge] = []
            var compliance: [ComplianceWeek] = []
            try ParallelCohort.run(state: state, upto: view.upto, participants: participants, compute: { worker, participant in
                let journey = try worker.journey(of: participant)
                let f = ParticipantFacts(participant: participant, journey: journey)
                let pairs = Pairing.pairs(participant: participant, journey: journey, windowDays: windowDays)
                let audit = ReferralAudit.audit(participant: participant, journey: journey, followUpDays: followUpDays)
                let page = ParticipantPage(participant: participant, journey: journey, facts: f, pairs: pairs, audit: audit, directory: directoryOfCodings)
                return Contribution(
                    facts: f, page: page.html(), items: pairs.flatMap(\.items),
                    referrals: audit.map { ($0.referral.outcome, $0.refused, $0.deadEnd, $0.inCycle) },
                    edges: audit.map { ReferralEdge(participant: participant, from: $0.referral.from, to: $0.referral.to, refused: $0.refused) },
                    compliance: Compliance.weeks(participant: participant, journey: journey)
                )
            }, consume: { participant, c in
                try write(c.page, to: pagesDir + "/" + participant + ".html")
                facts.append(c.facts)
                items.append(contentsOf: c.items)
                referrals.append(contentsOf: c.referrals)
                edges.append(contentsOf: c.edges)
                compliance.append(contentsOf: c.compliance)
            })
            let stats = CohortStats(facts: facts, directory: directoryOfCodings)
            let page = CohortPage(upto: view.upto, stats: stats, facts: facts, items: items, referrals: referrals,
                                  network: ReferralEdge.network(edges), compliance: compliance, directory: directoryOfCodings)
            try write(page.html(), to: directory + "/index.html")
            return Summary(directory: directory, upto: view.upto, participants: participants.count)
        }
    }

    private static func write(_ text: String, to path: String) throws {
        let temporary = path + ".partial"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ReportError("\(path): cannot write the page")
        }
        guard rename(temporary, path) == 0 else { throw ReportError("\(path): cannot move the page into place") }
    }
}

/// A report that could not be written.
public struct ReportError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
