import JourneyModel

/// What `participants.csv` and the institution counts say about one participant (contract
/// 2.3 and 3).
public struct ParticipantFacts: Sendable {
    public let participant: String
    public var enrolledOn: CalendarDate?
    public var exitedOn: CalendarDate?
    public var exitReason: ExitReason?
    /// Non-retracted events other than retractions.
    public var events = 0
    public var contacts = 0
    public var referrals = 0
    public var expectations = 0
    public var experiences = 0
    /// Institutions named anywhere in the participant's events (never self/network), each once,
    /// in the order first named.
    public var mentioned: [String] = []
    /// Institutions named in a contact or an experience, each once, in the order first named.
    public var contacted: [String] = []

    /// Facts from a journey (non-retracted events by time, as `ProjectionView.journey` gives).
    public init(participant: String, journey: [LoggedEvent]) {
        self.participant = participant
        // A participant names a few dozen institutions at most: numbered by fingerprint
        // (`StringNumbering`), cheaper than hashing every name into a Set.
        var mentioned = StringNumbering(), contacted = StringNumbering()
        for logged in journey {
            events += 1
            // The institutions each type names (as `EventPayload.institutions`), without
            // building an array per event.
            switch logged.event.payload {
            case .enrolled:
                enrolledOn = logged.event.date  // by time, so the last one is the latest
            case .exited(let reason):
                exitedOn = logged.event.date
                exitReason = reason
            case .contact(let c):
                contacts += 1
                contacted.number(c.institution)
                mentioned.number(c.institution)
            case .referral(let r):
                referrals += 1
                if Referrer.isInstitution(r.from) { mentioned.number(r.from) }
                mentioned.number(r.to)
            case .expectation(let e):
                expectations += 1
                mentioned.number(e.institution)
                if let via = e.cameVia, Referrer.isInstitution(via) { mentioned.number(via) }
            case .experience(let x):
                experiences += 1
                contacted.number(x.institution)
                mentioned.number(x.institution)
            case .institutionCoded(let c):
                mentioned.number(c.institution)
            case .retracted, .session:
                break
            }
        }
        self.mentioned = mentioned.names
        self.contacted = contacted.names
    }
}
