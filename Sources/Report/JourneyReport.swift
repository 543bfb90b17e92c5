import Foundation
import JourneyModel
import JourneyStore
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
        let summary: ParticipantSummary
        let facts: ParticipantFacts
        let page: String
        let items: [(institution: String, item: PairItem)]
        let referrals: [(outcome: ReferralOutcome, refused: Bool, deadEnd: Bool, inCycle: Bool)]
        let edges: [ReferralEdge]
        let compliance: [ComplianceWeek]
    }

    /// Writes the report of the log as of `upto` into `directory` (created if missing).
    ///
    /// Pages are written (mode 0600 from their creation) into a private staging folder and moved
    /// into place after `beforePublish` (the audit entry of the release) has returned; pages of
    /// an earlier report there that this one does not write are removed. Staging folders of
    /// reports whose process died are removed.
    public static func write(
        state: ProjectionState, upto: UInt64? = nil, windows: ProjectionWindows = ProjectionWindows(), excludeWithdrawn: Bool = false, to directory: String,
        beforePublish: (Summary) throws -> Void = { _ in }
    ) throws -> Summary {
        let fm = FileManager.default
        let pagesDir = directory + "/participants"
        do {
            try fm.createDirectory(atPath: pagesDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ReportError("\(directory): cannot create the report directory: \(error.localizedDescription)")
        }
        let staging = try StagingFolder(in: directory, prefix: ".journey-report-partial-")
        defer { staging.remove() }
        guard mkdir(staging.path + "/participants", 0o700) == 0 else {
            throw ReportError("\(staging.path): cannot create: \(String(cString: strerror(errno)))")
        }
        let summary = try render(state: state, upto: upto, windows: windows, excludeWithdrawn: excludeWithdrawn, into: staging, for: directory)
        try beforePublish(summary)
        let pages = Set(try fm.contentsOfDirectory(atPath: staging.path + "/participants"))
        // Pages of participants an earlier report had and this one has not.
        for name in (try? fm.contentsOfDirectory(atPath: pagesDir)) ?? [] where name.hasSuffix(".html") && !pages.contains(name) {
            var info = stat()
            if lstat(pagesDir + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFREG { unlink(pagesDir + "/" + name) }
        }
        for name in pages.sorted() {
            guard rename(staging.path + "/participants/" + name, pagesDir + "/" + name) == 0 else {
                throw ReportError("\(pagesDir)/\(name): cannot move the page into place: \(String(cString: strerror(errno)))")
            }
        }
        guard rename(staging.path + "/index.html", directory + "/index.html") == 0 else {
            throw ReportError("\(directory)/index.html: cannot move the page into place: \(String(cString: strerror(errno)))")
        }
        return summary
    }

    /// Renders every page into `staging`; the summary names `directory`, where they will be.
    private static func render(
        state: ProjectionState, upto: UInt64?, windows: ProjectionWindows, excludeWithdrawn: Bool, into staging: StagingFolder, for directory: String
    ) throws -> Summary {
        try state.view(upto: upto) { view in
            let participants = try view.participants()
            let directoryOfCodings = try view.codings()
            let shelters = directoryOfCodings.institutions(of: .shelter)
            var facts: [ParticipantFacts] = []
            var summaries: [ParticipantSummary] = []
            var items: [(institution: String, item: PairItem)] = []
            var referrals: [(outcome: ReferralOutcome, refused: Bool, deadEnd: Bool, inCycle: Bool)] = []
            var edges: [ReferralEdge] = []
            var compliance: [ComplianceWeek] = []
            try CohortRun.each(state, upto: view.upto, participants: participants, form: .full, windows: windows, excludeWithdrawn: excludeWithdrawn, render: { projection in
                let pairs = projection.pairs(), audit = projection.referrals(), participant = projection.participant
                let page = ParticipantPage(participant: participant, journey: projection.events, facts: projection.facts, pairs: pairs,
                                           audit: audit, directory: directoryOfCodings)
                return Contribution(
                    summary: ParticipantSummary(projection, shelters: shelters), facts: projection.facts, page: page.html(), items: pairs.flatMap { pair in pair.items.map { (pair.institution, $0) } },
                    referrals: audit.map { ($0.referral.outcome, $0.refused, $0.deadEnd, $0.inCycle) },
                    edges: audit.map { ReferralEdge(participant: participant, from: $0.referral.from, to: $0.referral.to, refused: $0.refused) },
                    compliance: projection.compliance()
                )
            }, consume: { participant, c in
                try write(c.page, to: "participants/" + participant + ".html", in: staging)
                facts.append(c.facts)
                summaries.append(c.summary)
                items.append(contentsOf: c.items)
                referrals.append(contentsOf: c.referrals)
                edges.append(contentsOf: c.edges)
                compliance.append(contentsOf: c.compliance)
            })
            let stats = CohortStats(summaries: summaries, directory: directoryOfCodings, codebook: try view.codebook())
            let page = CohortPage(upto: view.upto, stats: stats, facts: facts, items: items.map(\.item), referrals: referrals,
                                  network: ReferralEdge.network(edges), compliance: compliance, directory: directoryOfCodings)
            try write(page.html(), to: "index.html", in: staging)
            return Summary(directory: directory, upto: view.upto, participants: facts.count)
        }
    }

    /// Writes the page `name` (a path inside the staging folder), mode 0600 from its creation.
    private static func write(_ text: String, to name: String, in staging: StagingFolder) throws {
        let fd = try staging.create(name)
        defer { close(fd) }
        var text = text
        try text.withUTF8 { try FullWrite.write(UnsafeRawBufferPointer($0), to: fd, what: staging.path + "/" + name) }
    }
}

/// A report that could not be written.
public struct ReportError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
