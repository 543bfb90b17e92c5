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
    /// Every audited referral: where to, its outcome and reason, and the audit's flags.
    public let referrals: [Referral]

    /// One audited referral.
    public struct Referral: Sendable {
        public let to: String
        public let outcome: ReferralOutcome
        public let reason: String?
        public let refused: Bool
        public let deadEnd: Bool
        public let inCycle: Bool
    }

    /// The summary of `projection` (read in `.dump` or `.full` form).
    public init(_ projection: ParticipantProjection) {
        facts = projection.facts
        pairedItems = projection.pairedItems()
        enrolment = projection.enrolment
        covariates = projection.covariates
        let texts = projection.texts
        referrals = projection.auditRows().map { row in
            let event = projection.journey[row.index]
            var reason: String?
            if !projection.events.isEmpty {
                if case .referral(let r) = projection.events[row.index].event.payload { reason = r.reason }
            } else if row.index < texts.events.count, let range = texts.events[row.index].reason {
                reason = texts.string(range)
            }
            return Referral(to: projection.numbers.name(event.institution), outcome: event.outcome ?? .unknown, reason: reason,
                            refused: row.refused, deadEnd: row.deadEnd, inCycle: row.inCycle)
        }
    }
}
