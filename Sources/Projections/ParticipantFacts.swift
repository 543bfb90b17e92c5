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
        for logged in journey {
            events += 1
            switch logged.event.payload {
            case .enrolled:
                enrolledOn = logged.event.date  // by time, so the last one is the latest
            case .exited(let reason):
                exitedOn = logged.event.date
                exitReason = reason
            case .contact(let c):
                contacts += 1
                contacted.insert(c.institution)
            case .referral:
                referrals += 1
            case .expectation:
                expectations += 1
            case .experience(let x):
                experiences += 1
                contacted.insert(x.institution)
            case .institutionCoded, .retracted, .session:
                break
            }
            for institution in logged.event.payload.institutions { mentioned.insert(institution) }
        }
    }
}
