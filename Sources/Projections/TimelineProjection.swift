import JourneyModel

/// One participant's timeline as the `timeline` command shows it: the journey by time up to a
/// date (the journey "as shown"), each event with its institution's coding, its referral audit
/// and its expectation-experience pair - all taken over the journey as shown.
public struct TimelineProjection: Sendable {
    /// One event of the timeline.
    public struct Entry: Sendable {
        public let logged: LoggedEvent
        /// The coded name, chain and categories of the event's institution, if it names one.
        public let institutionName: String?
        public let chain: String?
        public let categories: [String]?
        /// The referral's audit, for a referral.
        public let audit: AuditedReferral?
        /// The pair an expectation or experience belongs to, when both halves were found.
        public let pair: Pair?

        /// The id of the other half of the event's pair.
        public var pairedWith: String? {
            pair.flatMap { $0.expectation?.seq == logged.seq ? $0.experience?.id : $0.expectation?.id }
        }
    }

    /// The events shown, by time.
    public let entries: [Entry]
    /// The institutions' codings the entries were described with.
    public let directory: InstitutionDirectory

    /// The timeline of `journey` (by time) up to and including `asOf` (every event without it).
    public init(participant: String, journey: [LoggedEvent], asOf: CalendarDate?, directory: InstitutionDirectory,
                windows: ProjectionWindows = ProjectionWindows(), codebook: Codebook = Codebook()) {
        self.directory = directory
        let shown = asOf.map { day in journey.filter { $0.event.date <= day } } ?? journey
        // Pairs and the audit are taken over the journey as shown.
        let projection = ParticipantProjection(participant: participant, events: shown, windows: windows, codebook: codebook)
        let pairs = projection.pairs(), audit = projection.referrals()
        let auditBySeq = Dictionary(uniqueKeysWithValues: audit.map { ($0.logged.seq, $0) })
        var pairOf: [UInt64: Pair] = [:]
        for p in pairs {
            guard let e = p.expectation, let x = p.experience else { continue }
            pairOf[e.seq] = p
            pairOf[x.seq] = p
        }
        entries = shown.map { logged in
            let institution = logged.event.institution
            return Entry(logged: logged, institutionName: institution.flatMap { directory.name(of: $0) },
                         chain: institution.map { directory.chain(of: $0) }, categories: institution.map { directory.categories(of: $0) },
                         audit: auditBySeq[logged.seq], pair: pairOf[logged.seq])
        }
    }
}
