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
    /// Contacts that name no institution (a professional only, contract 4.4).
    public var unnamedContacts = 0
    /// Per professional group named in a contact (in `ProfessionalGroup` order, those named):
    /// contacts naming it, and those of them without an institution.
    public var professionals: [(group: ProfessionalGroup, contacts: Int, unnamed: Int)] = []
    /// The participant's episodes per institution (contract 4.4), by institution id (bytes)
    /// then number - listed when `listsEpisodes` (the dump and the report); `maxConcurrent`
    /// is always counted.
    public var episodes: [Episode] = []
    /// The largest number of episodes open on one day (0 with none).
    public var maxConcurrent = 0

    /// Facts from a compact journey (by time, as `ProjectionView.compactJourney` gives), its
    /// institutions numbered in `numbers`; episodes end at gaps of more than `episodeGapDays`.
    public init(participant: String, journey: [CompactEvent], numbers: InstitutionNumbers,
                episodeGapDays: Int = ContractDefaults.episodeGapDays, listsEpisodes: Bool = true) {
        self.participant = participant
        // A participant names a few dozen institutions as a rule: a list searched through, with a
        // set beside it once the list is long (a journey naming thousands stays linear).
        var mentioned = FirstSeen(), contacted = FirstSeen()
        var professionalTally = ProfessionalTally()
        var episodeDates: [UInt64] = []
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
                if event.type == .contact {
                    contacts += 1
                    let unnamed = event.institution == CompactEvent.none
                    if unnamed { unnamedContacts += 1 }
                    if let group = event.professional { professionalTally.add(group, unnamed: unnamed) }
                } else {
                    experiences += 1
                }
                if event.institution != CompactEvent.none {
                    if episodeDates.isEmpty { episodeDates.reserveCapacity(journey.count) }
                    episodeDates.append(Episode.key(institution: event.institution, day: event.day))
                }
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
            case .institutionCoded, .institutionAgreed:
                add(event.institution, to: &mentioned)
            case .eventRetracted, .esmSession, .covariateDefined, .participantDescribed, .statementDefined:
                break
            }
        }
        self.mentioned = mentioned.order.map { numbers.name($0) }
        self.contacted = contacted.order.map { numbers.name($0) }
        professionals = professionalTally.counts
        if !episodeDates.isEmpty {
            let spans = Episode.spans(of: &episodeDates, numbers: numbers, gapDays: episodeGapDays, byId: listsEpisodes)
            maxConcurrent = Episode.maxConcurrent(spans)
            if listsEpisodes { episodes = spans.map { Episode($0, numbers: numbers) } }
        }
    }
}

/// Contacts per professional group, in a journey.
private struct ProfessionalTally {
    private var contacts: [Int] = []
    private var unnamed: [Int] = []

    mutating func add(_ group: ProfessionalGroup, unnamed isUnnamed: Bool) {
        if contacts.isEmpty {
            contacts = [Int](repeating: 0, count: ProfessionalGroup.allCases.count)
            unnamed = contacts
        }
        let i = ProfessionalGroup.allCases.firstIndex(of: group)!
        contacts[i] += 1
        if isUnnamed { unnamed[i] += 1 }
    }

    var counts: [(group: ProfessionalGroup, contacts: Int, unnamed: Int)] {
        contacts.indices.filter { contacts[$0] > 0 }.map { (ProfessionalGroup.allCases[$0], contacts[$0], unnamed[$0]) }
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
