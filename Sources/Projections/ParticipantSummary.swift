import JourneyModel

/// What the cohort statistics take from one participant's projection (`CohortStats.Tally`):
/// counts and institutions, pair items, the sample description, and the referrals with their
/// audit - made on a worker, so the tally only adds them up.
public struct ParticipantSummary: Sendable {
    public let facts: ParticipantFacts
    /// Each item of each pair, with the pair's institution.
    public let pairedItems: [(institution: String, item: PairItem)]
    /// The latest enrolment's data.
    public let enrolment: Enrolment?
    /// The participant's covariate values.
    public let covariates: [String: CovariateValue]
    /// The audit's counts over the participant's referrals.
    public private(set) var referrals = 0, refused = 0, deadEnds = 0, inCycle = 0
    /// The referrals to a shelter (an organisation whose coding gives kind `shelter`): their
    /// outcomes and reasons.
    public private(set) var shelterReferrals: [(outcome: ReferralOutcome, refused: Bool, reason: String?)] = []
    /// True if the participant had a contact or experience with a shelter.
    public let contactedShelter: Bool

    /// The summary of `projection` (read in `.dump` or `.full` form); `shelters`: the
    /// institutions whose coding gives kind `shelter` (`InstitutionDirectory.institutions(of:)`).
    public init(_ projection: ParticipantProjection, shelters: Set<String>) {
        self.init(projection, shelters: shelters, pairedItems: projection.pairedItems(), auditRows: projection.auditRows())
    }

    /// The summary of `projection` with its pair items and audit rows computed already (as
    /// `pairedItems()` and `auditRows()` give them).
    public init(_ projection: ParticipantProjection, shelters: Set<String>, pairedItems: [(institution: String, item: PairItem)],
                auditRows: [AuditRow]) {
        facts = projection.facts
        self.pairedItems = pairedItems
        enrolment = projection.enrolment
        covariates = projection.covariates
        contactedShelter = !shelters.isEmpty && projection.facts.contacted.contains { shelters.contains($0) }
        let texts = projection.texts
        for row in auditRows {
            referrals += 1
            if row.refused { refused += 1 }
            if row.deadEnd { deadEnds += 1 }
            if row.inCycle { inCycle += 1 }
            let event = projection.journey[row.index]
            guard !shelters.isEmpty, shelters.contains(projection.numbers.name(event.institution)) else { continue }
            var reason: String?
            if !projection.events.isEmpty {
                if case .referral(let r) = projection.events[row.index].event.payload { reason = r.reason }
            } else if row.index < texts.events.count, let range = texts.events[row.index].reason {
                reason = texts.string(range)
            }
            shelterReferrals.append((event.outcome ?? .unknown, row.refused, reason))
        }
    }
}
