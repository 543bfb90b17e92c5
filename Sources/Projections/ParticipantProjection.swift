import JourneyModel

/// Everything the projections derive from one participant's journey, read once: the journey by
/// time (compact, and in full or with its texts as the run asks), the participant's facts, and
/// the rules of the contract over it - pairs, referral audit, compliance. Every command that
/// projects a cohort (`stats`, `pairs`, `referrals`, `compliance`, `report`, `dump`) and the
/// timeline read their rows from this value (`CohortRun.each`).
///
/// The rules run on the compact journey (`Pairing.rows`, `ReferralAudit.rows`): `pairRows()` and
/// `auditRows()` compute on each call, so a command pays only for what it uses.
public struct ParticipantProjection {
    /// How much of each event a run reads.
    public enum Form: Sendable {
        /// Compact events only: facts and the rules' rows (`stats`). No sessions: `compliance()`
        /// is empty.
        case compact
        /// Also every event in full (`events`, `sessions`, `pairs()`, `referrals()`).
        case full
        /// Also the texts a dump copies as written (`texts`) and the sessions in full.
        case dump
    }

    public let participant: String
    /// The non-retracted events (retractions left out) by time, compact, their institutions
    /// numbered in `numbers`.
    public let journey: [CompactEvent]
    public let numbers: InstitutionNumbers
    /// The same events in full (a `.full` run), else empty.
    public let events: [LoggedEvent]
    /// The texts of `journey`'s events (a `.dump` run), else empty.
    public let texts: JourneyTexts
    /// The questionnaire sessions in full, by time (`.full` and `.dump` runs).
    public let sessions: [LoggedEvent]
    /// The data of the latest (by time) enrolment (`.full` and `.dump` runs).
    public let enrolment: Enrolment?
    /// Each covariate's value from the latest (by time) `participant.described` naming it
    /// (contract 4.1; `.full` and `.dump` runs).
    public let covariates: [String: CovariateValue]
    public let windows: ProjectionWindows
    /// The codebook of the projected log (statement aliases, covariates).
    public let codebook: Codebook
    /// Counts, dates and institutions (contract 2.3, the participants table).
    public let facts: ParticipantFacts

    /// The projection of `participant` as read in `view`, in `form`.
    public init(_ view: borrowing ProjectionView, participant: String, form: Form, windows: ProjectionWindows,
                codebook: Codebook = Codebook()) throws {
        switch form {
        case .compact:
            let journey = try view.compactJourney(of: participant, recordedBy: windows.recordedBy)
            self.init(participant: participant, journey: journey, numbers: view.institutionNumbers, events: [], texts: JourneyTexts(),
                      inFull: [], windows: windows, codebook: codebook)
        case .full:
            self.init(participant: participant, events: try view.journey(of: participant, recordedBy: windows.recordedBy), windows: windows, codebook: codebook)
        case .dump:
            let (journey, texts, inFull) = try view.dumpJourney(of: participant, recordedBy: windows.recordedBy)
            self.init(participant: participant, journey: journey, numbers: view.institutionNumbers, events: [], texts: texts,
                      inFull: inFull, windows: windows, codebook: codebook)
        }
    }

    /// The projection of a journey given in full (non-retracted events by time) - the timeline's
    /// journey "as shown", say.
    public init(participant: String, events: [LoggedEvent], windows: ProjectionWindows, codebook: Codebook = Codebook()) {
        var numbers = InstitutionNumbers()
        let journey = CompactEvent.journey(events, numbers: &numbers)
        self.init(participant: participant, journey: journey, numbers: numbers, events: events, texts: JourneyTexts(),
                  inFull: events, windows: windows, codebook: codebook)
    }

    /// `inFull`: the events read in full, by time (at least the sessions and enrolments).
    init(participant: String, journey: [CompactEvent], numbers: InstitutionNumbers, events: [LoggedEvent],
                 texts: JourneyTexts, inFull: [LoggedEvent], windows: ProjectionWindows, codebook: Codebook) {
        self.participant = participant
        self.journey = journey
        self.numbers = numbers
        self.events = events
        self.texts = texts
        sessions = inFull.filter { $0.event.type == .esmSession }
        enrolment = inFull.last { $0.event.type == .participantEnrolled }.flatMap { logged in
            if case .enrolled(let e) = logged.event.payload { e } else { nil }
        }
        var covariates: [String: CovariateValue] = [:]
        for logged in inFull {
            if case .described(let d) = logged.event.payload { for (name, value) in d.covariates { covariates[name] = value } }
        }
        self.covariates = covariates
        self.windows = windows
        self.codebook = codebook
        // A compact run (no texts, no events) has no use for the episodes' list.
        facts = ParticipantFacts(participant: participant, journey: journey, numbers: numbers, episodeGapDays: windows.episodeGapDays,
                                 listsEpisodes: !events.isEmpty || !texts.events.isEmpty)
    }

    /// Expectation-experience pairing (contract 2.2) over `journey`.
    public func pairRows() -> [PairRow] { Pairing.rows(journey: journey, numbers: numbers, windowDays: windows.windowDays) }

    /// Every item of every pair (contract 2.2) with the pair's institution, aliases resolved:
    /// from the texts in a `.dump` run, from the events in a `.full` one.
    public func pairedItems() -> [(institution: String, item: PairItem)] {
        if events.isEmpty {
            return pairRows().flatMap { row -> [(institution: String, item: PairItem)] in
                guard let e = row.expectation, let x = row.experience else { return [] }
                let institution = numbers.name(row.institution)
                return texts.pairItems(expectation: e, experience: x, codebook: codebook).map { (institution, $0) }
            }
        }
        return pairs().flatMap { pair in pair.items.map { (pair.institution, $0) } }
    }

    /// The referral audit (contract 2.4) over `journey`.
    public func auditRows() -> [AuditRow] { ReferralAudit.rows(journey: journey, followUpDays: windows.followUpDays) }

    /// The pairs with their events (a `.full` run).
    public func pairs() -> [Pair] {
        pairRows().map { row in
            Pair(participant: participant, institution: numbers.name(row.institution), status: row.status,
                 expectationEvent: row.expectation.map { events[$0] }, experienceEvent: row.experience.map { events[$0] },
                 dayOffset: row.dayOffset, aliases: codebook.itemOfAlias)
        }
    }

    /// The audited referrals with their events (a `.full` run).
    public func referrals() -> [AuditedReferral] {
        auditRows().map { row in
            let logged = events[row.index]
            guard case .referral(let referral) = logged.event.payload else { preconditionFailure("an audit row is a referral") }
            return AuditedReferral(participant: participant, logged: logged, referral: referral, refused: row.refused,
                                   deadEnd: row.deadEnd, chainDepth: row.chainDepth, inCycle: row.inCycle)
        }
    }

    /// The questionnaire app's compliance per week (empty in a `.compact` run).
    public func compliance() -> [ComplianceWeek] {
        Compliance.weeks(participant: participant, journey: sessions, contactDays: journey.filter { $0.type == .contact }.map(\.day))
    }
}
