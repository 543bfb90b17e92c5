/// The kinds of event in the journey log (contract 1.2 and 4.1, plus `esm.session` of the
/// ESM-import issue: one prompt of the questionnaire app and what became of it).
public enum EventType: UInt8, NamedCases, CustomStringConvertible {
    case participantEnrolled = 1
    case participantExited = 2
    case institutionCoded = 3
    case contact = 4
    case referral = 5
    case expectation = 6
    case experience = 7
    case eventRetracted = 8
    case esmSession = 9
    case covariateDefined = 10
    case participantDescribed = 11
    case statementDefined = 12
    case institutionAgreed = 13

    /// The name used in the `type` field.
    public var name: String {
        switch self {
        case .participantEnrolled: "participant.enrolled"
        case .participantExited: "participant.exited"
        case .institutionCoded: "institution.coded"
        case .contact: "contact"
        case .referral: "referral"
        case .expectation: "expectation"
        case .experience: "experience"
        case .eventRetracted: "event.retracted"
        case .esmSession: "esm.session"
        case .covariateDefined: "covariate.defined"
        case .participantDescribed: "participant.described"
        case .statementDefined: "statement.defined"
        case .institutionAgreed: "institution.agreed"
        }
    }

    public var description: String { name }

    /// The type named `name`, or `nil`.
    public init?(name: String) {
        var name = name
        guard let type = name.withUTF8({ EventType(nameBytes: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = type
    }

    /// The type whose name is exactly `bytes` (UTF-8), without making a String.
    /// True for `institution.coded` and `institution.agreed`: codings of an institution.
    public var isCoding: Bool { self == .institutionCoded || self == .institutionAgreed }

    public init?(nameBytes bytes: UnsafeRawBufferPointer) {
        guard let type = EventType.caseNames.match(bytes) else { return nil }
        self = type
    }

    /// The types' names, for matching them by their bytes.
    public static let caseNames = CaseNameTable(allCases) { $0.name }
}

/// Where a fact came from (the envelope's `source`).
public enum EventSource: String, NamedCases {
    public static let caseNames = CaseNameTable(allCases) { $0.rawValue }

    case intakeInterview = "intake-interview"
    case esm
    case closingInterview = "closing-interview"
    case caseFile = "case-file"
    case manual
}

/// Which of the app's questionnaires a session belongs to.
public enum QuestionnaireKind: String, NamedCases {
    public static let caseNames = CaseNameTable(allCases) { $0.rawValue }

    case registration, basic, retrospective, prospective
}

/// What became of a prompt of the questionnaire app.
public enum SessionStatus: String, NamedCases {
    public static let caseNames = CaseNameTable(allCases) { $0.rawValue }

    case completed, partial, expired, unanswered, canceled

    /// The participant answered (all or part of) the questionnaire.
    public var isAnswered: Bool { outcome == .answered }

    /// How compliance counts the prompt, in one place for every table and page: completed or
    /// partial is answered, expired is expired, unanswered or canceled is missed.
    public var outcome: SessionOutcome {
        switch self {
        case .completed, .partial: .answered
        case .expired: .expired
        case .unanswered, .canceled: .missed
        }
    }
}

/// A prompt of the questionnaire app as compliance counts it (`SessionStatus.outcome`).
public enum SessionOutcome: Sendable {
    case answered, expired, missed
}

/// Why a participant left the study.
public enum ExitReason: String, NamedCases {
    public static let caseNames = CaseNameTable(allCases) { $0.rawValue }

    case journeyEnded = "journey-ended", studyEnded = "study-ended", withdrew, lost
}

/// The outcome of a referral.
public enum ReferralOutcome: String, NamedCases {
    public static let caseNames = CaseNameTable(allCases) { $0.rawValue }

    case accepted, refused, noCapacity = "no-capacity", notEligible = "not-eligible", pending, unknown

    /// Refused, no capacity or not eligible (contract 2.4).
    public var isRefusal: Bool { self == .refused || self == .noCapacity || self == .notEligible }
}

/// How a contact took place.
public enum ContactMode: String, NamedCases {
    public static let caseNames = CaseNameTable(allCases) { $0.rawValue }

    case inPerson = "in-person", phone, video, written, other
}

/// A kind of abuse reported at enrolment.
public enum AbuseKind: String, NamedCases {
    public static let caseNames = CaseNameTable(allCases) { $0.rawValue }

    case psychological, physical, sexual, economic, stalking, online
}

/// The geographic level an organisation works at.
public enum InstitutionLevel: String, NamedCases {
    public static let caseNames = CaseNameTable(allCases) { $0.rawValue }

    case national, regional, local
}
