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
    /// Institutions named anywhere in the participant's events (never self/network).
    public var mentioned: Set<String> = []
    /// Institutions named in a contact or an experience.
    public var contacted: Set<String> = []

    /// Facts from a journey (non-retracted events by time, as `ProjectionView.journey` gives).
    public init(participant: String, journey: [LoggedEvent]) {
        self.participant = participant
        // A participant names a few dozen institutions at most: collected in arrays (comparing
        // short strings is cheaper than hashing them), hashed once each at the end.
        var mentioned = SmallStringSet(), contacted = SmallStringSet()
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
                contacted.insert(c.institution)
                mentioned.insert(c.institution)
            case .referral(let r):
                referrals += 1
                if Referrer.isInstitution(r.from) { mentioned.insert(r.from) }
                mentioned.insert(r.to)
            case .expectation(let e):
                expectations += 1
                mentioned.insert(e.institution)
                if let via = e.cameVia, Referrer.isInstitution(via) { mentioned.insert(via) }
            case .experience(let x):
                experiences += 1
                contacted.insert(x.institution)
                mentioned.insert(x.institution)
            case .institutionCoded(let c):
                mentioned.insert(c.institution)
            case .retracted, .session:
                break
            }
        }
        self.mentioned = mentioned.set
        self.contacted = contacted.set
    }
}

/// Distinct strings: in an array while they are few (comparing short strings is cheaper than
/// hashing them), in a hash set beyond that.
struct SmallStringSet {
    private var few: [String] = []
    private var many: Set<String>?

    mutating func insert(_ s: String) {
        if many != nil {
            many!.insert(s)
        } else if !few.contains(s) {
            few.append(s)
            if few.count > 48 { many = Set(few) }
        }
    }

    var set: Set<String> { many ?? Set(few) }
}
