/// One fact of a journey, as validated from its JSON line (contract 1.1-1.2).
public struct Event: Hashable, Sendable {
    /// Unique id; the idempotency key.
    public var id: String
    /// The participant's pseudonym; `nil` on `institution.coded` (and on a retraction of one).
    public var participant: String?
    /// When it happened (valid time).
    public var at: Moment
    /// When the source captured it, as written.
    public var recorded: String?
    /// Where it came from.
    public var source: EventSource
    /// Who entered or coded it.
    public var by: String?
    /// The type-specific data.
    public var payload: EventPayload

    /// The event's type.
    public var type: EventType { payload.type }
}

/// The `data` of an event, by type.
public indirect enum EventPayload: Hashable, Sendable {
    case enrolled(Enrolment)
    case exited(ExitReason)
    case institutionCoded(InstitutionCoding)
    /// A consensus coding (contract 4.1): the fields of `institution.coded`.
    case institutionAgreed(InstitutionCoding)
    case contact(Contact)
    case referral(Referral)
    case expectation(Expectation)
    case experience(Experience)
    case retracted(Retraction)
    case session(Session)
    case covariateDefined(CovariateDefinition)
    case described(ParticipantDescription)
    case statementDefined(StatementDefinition)

    /// The type these data belong to.
    public var type: EventType {
        switch self {
        case .enrolled: .participantEnrolled
        case .exited: .participantExited
        case .institutionCoded: .institutionCoded
        case .institutionAgreed: .institutionAgreed
        case .contact: .contact
        case .referral: .referral
        case .expectation: .expectation
        case .experience: .experience
        case .retracted: .eventRetracted
        case .session: .esmSession
        case .covariateDefined: .covariateDefined
        case .described: .participantDescribed
        case .statementDefined: .statementDefined
        }
    }

    /// The institution ids the data name (not `self`/`network`), in field order: at most two,
    /// without an array.
    public var institutionPair: (String?, String?) {
        switch self {
        case .enrolled, .exited, .retracted, .session, .covariateDefined, .described, .statementDefined: (nil, nil)
        case .institutionCoded(let c), .institutionAgreed(let c): (c.institution, nil)
        case .contact(let c): (c.institution, nil)
        case .referral(let r): Referrer.isInstitution(r.from) ? (r.from, r.to) : (r.to, nil)
        case .expectation(let e): e.cameVia.map { Referrer.isInstitution($0) ? (e.institution, $0) : (e.institution, nil) } ?? (e.institution, nil)
        case .experience(let x): (x.institution, nil)
        }
    }

    /// Every institution id the data name (not `self`/`network`), in field order.
    public var institutions: [String] {
        let (first, second) = institutionPair
        return [first, second].compactMap { $0 }
    }
}

/// `participant.enrolled` data.
public struct Enrolment: Hashable, Sendable {
    public var ageBand: String?
    public var childrenWithExPartner: Bool?
    public var abuse: [AbuseKind]
}

/// `institution.coded` and `institution.agreed` data.
public struct InstitutionCoding: Hashable, Sendable {
    public var institution: String
    public var name: String
    public var categories: [String]
    public var levels: [InstitutionLevel]
    public var reason: String?
    /// The organisation's kind (contract 4.2), if the coder gave one.
    public var kind: InstitutionKind?
}

/// `contact` data: with an institution, a professional group, or both (contract 4.1).
public struct Contact: Hashable, Sendable {
    /// The organisation; `nil` for a contact with an unnamed professional.
    public var institution: String?
    public var role: String?
    public var reason: String?
    public var mode: ContactMode?
    /// The professional group (contract 4.3).
    public var professional: ProfessionalGroup?
    /// On whose behalf; `nil` means the participant.
    public var forWhom: ForWhom?

    public init(institution: String?, role: String? = nil, reason: String? = nil, mode: ContactMode? = nil,
                professional: ProfessionalGroup? = nil, forWhom: ForWhom? = nil) {
        self.institution = institution
        self.role = role
        self.reason = reason
        self.mode = mode
        self.professional = professional
        self.forWhom = forWhom
    }
}

/// `referral` data.
public struct Referral: Hashable, Sendable {
    /// An institution id, `self` or `network`.
    public var from: String
    public var to: String
    public var outcome: ReferralOutcome
    public var reason: String?
    /// On whose behalf; `nil` means the participant.
    public var forWhom: ForWhom?

    public init(from: String, to: String, outcome: ReferralOutcome, reason: String? = nil, forWhom: ForWhom? = nil) {
        self.from = from
        self.to = to
        self.outcome = outcome
        self.reason = reason
        self.forWhom = forWhom
    }
}

/// A statement item and its 0-5 score.
public struct StatementScore: Hashable, Sendable {
    public var item: String
    public var score: Int
}

/// `expectation` data: what the participant expected before a contact.
public struct Expectation: Hashable, Sendable {
    public var institution: String
    public var plannedFor: CalendarDate
    /// An institution id, `self` or `network`.
    public var cameVia: String?
    public var needs: [String]?
    public var expectedFulfilment: Int?
    /// In the order written.
    public var statements: [StatementScore]
}

/// `experience` data: how a contact went.
public struct Experience: Hashable, Sendable {
    public var institution: String
    public var contactOn: CalendarDate
    public var summary: String?
    public var statements: [StatementScore]
}

/// `event.retracted` data.
public struct Retraction: Hashable, Sendable {
    public var event: String
    public var reason: String
}

/// `esm.session` data: one prompt of the questionnaire app (the event's `at` is the prompt time).
public struct Session: Hashable, Sendable {
    /// The questionnaire's name in the app.
    public var questionnaire: String
    public var kind: QuestionnaireKind
    public var status: SessionStatus
    /// When the prompt was sent (RFC 3339).
    public var prompted: Moment
    public var scheduled: Moment?
    public var started: Moment?
    public var ended: Moment?
    public var expires: Moment?
    /// The weekly basic questionnaire's answers (issue 21): a contact with an organisation last
    /// week, one expected next week.
    public var contactLastWeek: Bool?
    public var contactNextWeek: Bool?
    /// Every other mapped answer, as the app wrote it: field name -> text, by field name.
    public var answers: [SessionAnswer]

    public init(questionnaire: String, kind: QuestionnaireKind, status: SessionStatus, prompted: Moment, scheduled: Moment? = nil,
                started: Moment? = nil, ended: Moment? = nil, expires: Moment? = nil, contactLastWeek: Bool? = nil,
                contactNextWeek: Bool? = nil, answers: [SessionAnswer] = []) {
        self.questionnaire = questionnaire
        self.kind = kind
        self.status = status
        self.prompted = prompted
        self.scheduled = scheduled
        self.started = started
        self.ended = ended
        self.expires = expires
        self.contactLastWeek = contactLastWeek
        self.contactNextWeek = contactNextWeek
        self.answers = answers.sorted { $0.field.utf8.lexicographicallyPrecedes($1.field.utf8) }
    }
}

/// One answer of a questionnaire session: the mapping's field name and the text answered.
public struct SessionAnswer: Hashable, Sendable {
    public var field: String
    public var text: String

    public init(field: String, text: String) {
        self.field = field
        self.text = text
    }
}

/// The two words that may stand where a referrer is expected.
public enum Referrer {
    /// The participant's own initiative.
    public static let selfInitiative = "self"
    /// Family, friends, peers.
    public static let network = "network"

    /// True unless `id` is `self` or `network`.
    public static func isInstitution(_ id: String) -> Bool { id != selfInitiative && id != network }
}
