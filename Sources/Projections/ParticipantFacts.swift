import JourneyModel

/// What `participants.csv` and the institution counts say about one participant (contract
/// 2.3 and 3).
public struct ParticipantFacts: Sendable {
    public let participant: String
    public var enrolledOn: CalendarDate?
    public var exitedOn: CalendarDate?
    public var exitReason: ExitReason?
    /// True if the participant's latest (by time) exit is `withdrew` (contract 4.4).
    public var isWithdrawn: Bool { exitReason == .withdrew }
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

    /// Facts from a compact journey (by time, as `ProjectionView.compactJourney` gives), its
    /// institutions numbered in `numbers`.
    public init(participant: String, journey: [CompactEvent], numbers: InstitutionNumbers) {
        self.participant = participant
        // A participant names a few dozen institutions as a rule: a list searched through, with a
        // set beside it once the list is long (a journey naming thousands stays linear).
        var mentioned = FirstSeen(), contacted = FirstSeen()
        func add(_ n: Int32, to list: inout FirstSeen) {
            if InstitutionNumbers.isInstitution(n) { list.add(n) }
        }
        for event in journey {
            events += 1
            // The institutions each type names (as `EventPayload.institutions`).
            switch event.type {
            case .participantEnrolled:
                enrolledOn = event.calendarDate  // by time, so the last one is the latest
            case .participantExited:
                exitedOn = event.calendarDate
                exitReason = event.exitReason
            case .contact, .experience:
                if event.type == .contact { contacts += 1 } else { experiences += 1 }
                add(event.institution, to: &contacted)
                add(event.institution, to: &mentioned)
            case .referral:
                referrals += 1
                add(event.counterpart, to: &mentioned)
                add(event.institution, to: &mentioned)
            case .expectation:
                expectations += 1
                add(event.institution, to: &mentioned)
                add(event.counterpart, to: &mentioned)
            case .institutionCoded:
                add(event.institution, to: &mentioned)
            case .eventRetracted, .esmSession:
                break
            }
        }
        self.mentioned = mentioned.order.map { numbers.name($0) }
        self.contacted = contacted.order.map { numbers.name($0) }
    }
}

/// Numbers in the order first added, each once.
private struct FirstSeen {
    private(set) var order: [Int32] = []
    private var seen: Set<Int32>?

    mutating func add(_ n: Int32) {
        if let seen {
            guard !seen.contains(n) else { return }
            self.seen!.insert(n)
        } else {
            guard !order.contains(n) else { return }
            if order.count == 32 { seen = Set(order + [n]) }
        }
        order.append(n)
    }
}
