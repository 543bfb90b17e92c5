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

    /// Every participant's projection - `participants`, all in the log by `upto` - read in
    /// `form` on every core: `render` runs on a worker with each projection, `consume` takes its
    /// results in participant order (while the next are computed). With `excludeWithdrawn`,
    /// participants whose latest exit is `withdrew` are left out (contract 4.4: one rule for
    /// every command); returns how many were.
    @discardableResult
    public static func each<T: Sendable>(
        _ state: ProjectionState, upto: UInt64, participants: [String], form: ParticipantProjection.Form,
        windows: ProjectionWindows = ProjectionWindows(), excludeWithdrawn: Bool = false,
        render: @escaping @Sendable (ParticipantProjection) throws -> T, consume: (String, T) throws -> Void
    ) throws -> Int {
        try eachBatch(state, upto: upto, participants: participants, form: form, windows: windows, excludeWithdrawn: excludeWithdrawn,
                      batch: { [(String, T)]() }, render: { batch, projection in batch.append((projection.participant, try render(projection))) },
                      consume: { batch in for i in batch.indices { try consume(batch[i].0, batch[i].1) } })
    }

    /// As `each`, but the projections of consecutive participants are rendered into one value
    /// (a worker's share of a block): `batch` makes an empty one on a worker, `render` adds a
    /// projection to it, `consume` takes the batches in participant order. What would be made
    /// per participant - buffers, arrays - is made once per batch. `blockSize`: participants
    /// computed at a time (two blocks are in memory at once).
    @discardableResult
    public static func eachBatch<B: Sendable>(
        _ state: ProjectionState, upto: UInt64, participants: [String], form: ParticipantProjection.Form,
        windows: ProjectionWindows = ProjectionWindows(), excludeWithdrawn: Bool = false, blockSize: Int = 1024,
        batch: @escaping @Sendable () -> B, render: @escaping @Sendable (inout B, ParticipantProjection) throws -> Void,
        consume: (B) throws -> Void
    ) throws -> Int {
        var excluded = 0
        let codebook = try state.view(upto: upto) { try $0.codebook() }
        try ParallelCohort.runBatches(state: state, upto: upto, participants: participants, blockSize: blockSize,
                                      compute: { view, run -> (B, withdrawn: Int) in
            var rendered = batch(), withdrawn = 0
            for p in run {
                // With --recorded-by, the participants are those with an event recorded by then.
                if let recordedBy = windows.recordedBy, try !view.hasEvent(of: p, recordedBy: recordedBy) { continue }
                let projection = try ParticipantProjection(view, participant: p, form: form, windows: windows, codebook: codebook)
                if excludeWithdrawn && projection.facts.isWithdrawn {
                    withdrawn += 1
                    continue
                }
                try render(&rendered, projection)
            }
            return (rendered, withdrawn)
        }, consume: { _, result in
            excluded += result.withdrawn
            try consume(result.0)
        })
        return excluded
    }

    /// One participant's timeline as of the log position `upto` (default: the head), shown up to
    /// the date `asOf` (default: every event); the participant must be in the log by `upto`.
    public static func timeline(_ state: ProjectionState, upto: UInt64?, participant: String, asOf: CalendarDate?,
                                windows: ProjectionWindows = ProjectionWindows()) throws -> (upto: UInt64, timeline: TimelineProjection) {
        let (journey, directory, codebook, seq) = try state.view(upto: upto) { view in
            guard try view.hasParticipant(participant) else {
                throw ProjectionError("no participant \"\(participant)\" in the log\(upto.map { " up to seq \($0)" } ?? "")")
            }
            return (try view.journey(of: participant, recordedBy: windows.recordedBy), try view.codings(), try view.codebook(), view.upto)
        }
        return (seq, TimelineProjection(participant: participant, journey: journey, asOf: asOf, directory: directory, windows: windows,
                                        codebook: codebook))
    }

    /// Every expectation-experience pair (and unpaired half) of the participants, in participant
    /// order (contract 2.2).
    public static func pairs(_ state: ProjectionState, upto: UInt64?, only: String?,
                             windows: ProjectionWindows = ProjectionWindows(), excludeWithdrawn: Bool = false) throws -> (upto: UInt64, pairs: [Pair]) {
        let (upto, who) = try participants(state, upto: upto, only: only)
        var pairs: [Pair] = []
        try each(state, upto: upto, participants: who, form: .full, windows: windows, excludeWithdrawn: excludeWithdrawn, render: { $0.pairs() },
                 consume: { _, r in pairs.append(contentsOf: r) })
        return (upto, pairs)
    }

    /// The questionnaire app's compliance per participant and week, in participant order.
    public static func compliance(_ state: ProjectionState, upto: UInt64?, only: String?, windows: ProjectionWindows = ProjectionWindows(),
                                  excludeWithdrawn: Bool = false) throws -> (upto: UInt64, weeks: [ComplianceWeek]) {
        let (upto, who) = try participants(state, upto: upto, only: only)
        var weeks: [ComplianceWeek] = []
        try each(state, upto: upto, participants: who, form: .full, windows: windows, excludeWithdrawn: excludeWithdrawn, render: { $0.compliance() },
                 consume: { _, w in weeks.append(contentsOf: w) })
        return (upto, weeks)
    }

    /// The institution-count statistics of the whole cohort (contract 2.3), from compact journeys;
    /// how many participants named each institution; the codings as of the run's log position.
    public static func stats(_ state: ProjectionState, upto: UInt64?, windows: ProjectionWindows = ProjectionWindows(),
                             excludeWithdrawn: Bool = false) throws
        -> (upto: UInt64, stats: CohortStats, reach: InstitutionReach, directory: InstitutionDirectory) {
        let (upto, participants, directory) = try state.view(upto: upto) { view in
            (view.upto, try view.participants(), try view.codings())
        }
        let codebook = try state.view(upto: upto) { try $0.codebook() }
        var tally = CohortStats.Tally(directory: directory, codebook: codebook)
        var reach = InstitutionReach()
        let shelters = directory.institutions(of: .shelter)
        // The dump's form: the statement items for the pair deltas, the referrals' reasons.
        // Summed as the batches come (by index: the summaries are borrowed, not copied).
        try eachBatch(state, upto: upto, participants: participants, form: .dump, windows: windows, excludeWithdrawn: excludeWithdrawn,
                      batch: { [ParticipantSummary]() }, render: { batch, projection in batch.append(ParticipantSummary(projection, shelters: shelters)) },
                      consume: { batch in
                          for i in batch.indices {
                              tally.add(batch[i])
                              reach.add(batch[i].facts)
                          }
                      })
        return (upto, tally.stats(), reach, directory)
    }

    /// Every referral of the participants with its audit, in participant order (contract 2.4),
    /// and the institutions' codings as of the run's log position.
    public static func referrals(_ state: ProjectionState, upto: UInt64?, only: String?,
                                 windows: ProjectionWindows = ProjectionWindows(), excludeWithdrawn: Bool = false) throws
        -> (upto: UInt64, referrals: [AuditedReferral], directory: InstitutionDirectory) {
        let (upto, who) = try participants(state, upto: upto, only: only)
        let directory = try state.view(upto: upto) { try $0.codings() }
        var audited: [AuditedReferral] = []
        try each(state, upto: upto, participants: who, form: .full, windows: windows, excludeWithdrawn: excludeWithdrawn, render: { $0.referrals() },
                 consume: { _, a in audited.append(contentsOf: a) })
        return (upto, audited, directory)
    }
}
