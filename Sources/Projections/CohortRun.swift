import JourneyModel
import JourneyStore

/// The cohort projections the commands print, each one library call: the participants asked
/// for (one, or everyone in the log), their journeys computed on every core, the rows in
/// participant order.
public enum CohortRun {
    /// The log position of a run and the participants it covers: `only`, which must be in the
    /// log by `upto`, or every participant.
    public static func participants(_ state: ProjectionState, upto: UInt64?, only: String?) throws -> (upto: UInt64, participants: [String]) {
        try state.view(upto: upto) { view in
            if let only, try !view.hasParticipant(only) { throw ProjectionError("no participant \"\(only)\" in the log") }
            return (view.upto, try only.map { [$0] } ?? view.participants())
        }
    }

    /// Every expectation-experience pair (and unpaired half) of the participants, in participant
    /// order (contract 2.2).
    public static func pairs(_ state: ProjectionState, upto: UInt64?, only: String?,
                             windowDays: Int = ContractDefaults.pairingWindowDays) throws -> (upto: UInt64, pairs: [Pair]) {
        let (upto, who) = try participants(state, upto: upto, only: only)
        var pairs: [Pair] = []
        try ParallelCohort.run(state: state, upto: upto, participants: who, compute: { view, p in
            Pairing.pairs(participant: p, journey: try view.journey(of: p), windowDays: windowDays)
        }, consume: { _, r in pairs.append(contentsOf: r) })
        return (upto, pairs)
    }

    /// The questionnaire app's compliance per participant and week, in participant order.
    public static func compliance(_ state: ProjectionState, upto: UInt64?, only: String?) throws -> (upto: UInt64, weeks: [ComplianceWeek]) {
        let (upto, who) = try participants(state, upto: upto, only: only)
        var weeks: [ComplianceWeek] = []
        try ParallelCohort.run(state: state, upto: upto, participants: who, compute: { view, p in
            Compliance.weeks(participant: p, journey: try view.journey(of: p))
        }, consume: { _, w in weeks.append(contentsOf: w) })
        return (upto, weeks)
    }

    /// The institution-count statistics of the whole cohort (contract 2.3), from compact journeys;
    /// how many participants named each institution; the codings as of the run's log position.
    public static func stats(_ state: ProjectionState, upto: UInt64?) throws
        -> (upto: UInt64, stats: CohortStats, reach: InstitutionReach, directory: InstitutionDirectory) {
        let (upto, participants, directory) = try state.view(upto: upto) { view in
            (view.upto, try view.participants(), try view.codings())
        }
        var facts: [ParticipantFacts] = []
        facts.reserveCapacity(participants.count)
        try ParallelCohort.run(state: state, upto: upto, participants: participants, compute: { view, p in
            ParticipantFacts(participant: p, journey: try view.compactJourney(of: p), numbers: view.institutionNumbers)
        }, consume: { _, f in facts.append(f) })
        return (upto, CohortStats(facts: facts, directory: directory), InstitutionReach(facts), directory)
    }

    /// Every referral of the participants with its audit, in participant order (contract 2.4),
    /// and the institutions' codings as of the run's log position.
    public static func referrals(_ state: ProjectionState, upto: UInt64?, only: String?,
                                 followUpDays: Int = ContractDefaults.followUpDays) throws
        -> (upto: UInt64, referrals: [AuditedReferral], directory: InstitutionDirectory) {
        let (upto, who) = try participants(state, upto: upto, only: only)
        let directory = try state.view(upto: upto) { try $0.codings() }
        var audited: [AuditedReferral] = []
        try ParallelCohort.run(state: state, upto: upto, participants: who, compute: { view, p in
            ReferralAudit.audit(participant: p, journey: try view.journey(of: p), followUpDays: followUpDays)
        }, consume: { _, a in audited.append(contentsOf: a) })
        return (upto, audited, directory)
    }
}
