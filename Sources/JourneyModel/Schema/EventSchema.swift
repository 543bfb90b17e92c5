/// The event format, declared once (contract 1.2): every type's members, their kinds, which are
/// required, what the projections take from them, and how the type's payload is made. Adding an
/// optional member to a type is a line here (appended, as members are numbered by position) plus
/// the code that uses it; the parser, the readers of stored records and the JSON Schema
/// (`journey schema`) follow.
public enum EventSchema {
    /// Every type's declaration, in `EventType` order.
    public static let all: [EventDeclaration] = [
        enrolled, exited, institutionCoded, contact, referral, expectation, experience, retracted, session,
        covariateDefined, participantDescribed, statementDefined, institutionAgreed,
    ]

    /// The declaration of `type`.
    @inline(__always)
    public static func declaration(_ type: EventType) -> EventDeclaration { all[Int(type.rawValue) - 1] }

    static let enrolled = EventDeclaration(.participantEnrolled, members: [
        .optional("ageBand", .text),
        .optional("childrenWithExPartner", .flag),
        .optional("abuse", .codes(CodeSet(AbuseKind.self), nonEmpty: false)),
    ]) { v in
        .enrolled(Enrolment(ageBand: v.textIfPresent(0), childrenWithExPartner: v.flagIfPresent(1), abuse: v.codes(2)))
    }

    static let exited = EventDeclaration(.participantExited, members: [
        .required("reason", .code(CodeSet(ExitReason.self)), compact: .exitReason, dumpText: .code),
    ]) { v in
        .exited(v.code(0) ?? .lost)
    }

    static let institutionCoded = EventDeclaration(.institutionCoded, participant: .absent, members: codingMembers) { v in
        .institutionCoded(coding(&v))
    }

    /// A consensus coding (contract 4.1): exactly the members of `institution.coded`.
    static let institutionAgreed = EventDeclaration(
        .institutionAgreed, participant: .absent,
        description: "A consensus coding of an institution (contract 4.1): in force over the coders' codings.",
        members: codingMembers
    ) { v in
        .institutionAgreed(coding(&v))
    }

    /// The members of a coding.
    static let codingMembers: [MemberDeclaration] = [
        .required("institution", .institution, compact: .institution),
        .required("name", .text),
        .required("categories", .categories),
        .required("levels", .codes(CodeSet(InstitutionLevel.self), nonEmpty: true)),
        .optional("reason", .text, dumpText: .reason),
        .optional("kind", .code(CodeSet(InstitutionKind.self))),
    ]

    /// The coding made of a coding's members.
    static func coding(_ v: inout PayloadValues) -> InstitutionCoding {
        InstitutionCoding(institution: v.text(0), name: v.text(1), categories: v.texts(2), levels: v.codes(3), reason: v.textIfPresent(4),
                          kind: v.code(5))
    }

    static let contact = EventDeclaration(.contact, oneOf: ["institution", "professional"], members: [
        .optional("institution", .institution, compact: .institution, description: "the organisation; absent for an unnamed professional"),
        .optional("role", .text, dumpText: .role),
        .optional("reason", .text, dumpText: .reason),
        .optional("mode", .code(CodeSet(ContactMode.self)), dumpText: .mode),
        .optional("professional", .code(CodeSet(ProfessionalGroup.self)), compact: .professional, dumpText: .professional,
                  description: "the professional group (contract 4.3)"),
        .optional("for", .code(CodeSet(ForWhom.self)), dumpText: .forWhom, description: "on whose behalf; absent: the participant"),
    ]) { v in
        .contact(Contact(institution: v.textIfPresent(0), role: v.textIfPresent(1), reason: v.textIfPresent(2), mode: v.code(3),
                         professional: v.code(4), forWhom: v.code(5)))
    }

    static let referral = EventDeclaration(.referral, members: [
        .required("from", .referrer, compact: .counterpart),
        .required("to", .institution, compact: .institution),
        .required("outcome", .code(CodeSet(ReferralOutcome.self)), compact: .outcome, dumpText: .code),
        .optional("reason", .text, dumpText: .reason),
        .optional("for", .code(CodeSet(ForWhom.self)), dumpText: .forWhom, description: "on whose behalf; absent: the participant"),
    ]) { v in
        .referral(Referral(from: v.text(0), to: v.text(1), outcome: v.code(2) ?? .unknown, reason: v.textIfPresent(3), forWhom: v.code(4)))
    }

    static let expectation = EventDeclaration(.expectation, members: [
        .required("institution", .institution, compact: .institution),
        .required("plannedFor", .date, compact: .day),
        .optional("cameVia", .referrer, compact: .counterpart),
        .optional("needs", .texts, dumpText: .need),
        .optional("expectedFulfilment", .score, compact: .fulfilment),
        .required("statements", .statements),
    ]) { v in
        .expectation(Expectation(institution: v.text(0), plannedFor: v.date(1), cameVia: v.textIfPresent(2), needs: v.textsIfPresent(3),
                                 expectedFulfilment: v.scoreIfPresent(4), statements: v.statements(5)))
    }

    static let experience = EventDeclaration(.experience, members: [
        .required("institution", .institution, compact: .institution),
        .required("contactOn", .date, compact: .day),
        .optional("summary", .text, dumpText: .summary),
        .required("statements", .statements),
    ]) { v in
        .experience(Experience(institution: v.text(0), contactOn: v.date(1), summary: v.textIfPresent(2), statements: v.statements(3)))
    }

    static let retracted = EventDeclaration(.eventRetracted, participant: .asTarget, members: [
        .required("event", .identifier(max: 128, colon: true)),
        .required("reason", .text, dumpText: .reason),
    ]) { v in
        .retracted(Retraction(event: v.text(0), reason: v.text(1)))
    }

    static let session = EventDeclaration(
        .esmSession, atIsDateTime: true,
        description: "One prompt of the questionnaire app and what became of it (journey import-esm); the event's at is the prompt time.",
        members: [
            .required("questionnaire", .text, description: "the questionnaire's name in the app"),
            .required("kind", .code(CodeSet(QuestionnaireKind.self))),
            .required("status", .code(CodeSet(SessionStatus.self)), dumpText: .code),
            .required("prompted", .dateTime),
            .optional("scheduled", .dateTime),
            .optional("started", .dateTime),
            .optional("ended", .dateTime),
            .optional("expires", .dateTime),
            .optional("contactLastWeek", .flag, description: "the basic questionnaire: a contact with an organisation last week"),
            .optional("contactNextWeek", .flag, description: "the basic questionnaire: a contact expected next week"),
            .optional("answers", .textMap, description: "every other mapped answer: field -> text as answered"),
        ]
    ) { v in
        var answers: [SessionAnswer] = []
        if case .object(let members)? = v.json(10) {
            for (field, value) in members { if case .string(let text) = value { answers.append(SessionAnswer(field: field, text: text)) } }
        }
        return .session(Session(questionnaire: v.text(0), kind: v.code(1) ?? .basic, status: v.code(2) ?? .unanswered, prompted: v.moment(3),
                                scheduled: v.momentIfPresent(4), started: v.momentIfPresent(5), ended: v.momentIfPresent(6),
                                expires: v.momentIfPresent(7), contactLastWeek: v.flagIfPresent(8), contactNextWeek: v.flagIfPresent(9),
                                answers: answers))
    }

    static let covariateDefined = EventDeclaration(
        .covariateDefined, participant: .absent,
        description: "A covariate of the sample description (contract 4.1); the latest definition in log order is in force.",
        members: [
            .required("name", .covariateName),
            .required("kind", .code(CodeSet(CovariateKind.self))),
            .required("label", .text),
            .optional("labelNl", .text),
            .optional("categories", .categoryLabels, description: "code -> {label, labelNl?}; required for and only for kind category"),
            .optional("min", .number, description: "integer and number only"),
            .optional("max", .number, description: "integer and number only"),
        ]
    ) { v in
        let categories: [CovariateCategory]
        if case .object(let members)? = v.json(4) {
            categories = members.map { code, value in
                guard case .object(let labels) = value, case .string(let label)? = labels["label"] else {
                    return CovariateCategory(code: code, label: "")
                }
                if case .string(let nl)? = labels["labelNl"] { return CovariateCategory(code: code, label: label, labelNl: nl) }
                return CovariateCategory(code: code, label: label)
            }
        } else {
            categories = []
        }
        return .covariateDefined(CovariateDefinition(name: v.text(0), kind: v.code(1) ?? .text, label: v.text(2), labelNl: v.textIfPresent(3),
                                                     categories: categories, min: v.number(5), max: v.number(6)))
    }

    static let participantDescribed = EventDeclaration(
        .participantDescribed,
        description: "Values of covariates for the participant (contract 4.1); each name must be defined earlier in the log.",
        members: [
            .required("covariates", .covariateValues, description: "covariate name -> value (never null)"),
        ]
    ) { v in
        var values: [(name: String, value: CovariateValue)] = []
        if case .object(let members)? = v.json(0) {
            for (name, value) in members {
                switch value {
                case .number(let text): values.append((name, .number(text)))
                case .bool(let b): values.append((name, .bool(b)))
                case .string(let s): values.append((name, .string(s)))
                default: break
                }
            }
        }
        return .described(ParticipantDescription(covariates: values))
    }

    static let statementDefined = EventDeclaration(
        .statementDefined, participant: .absent,
        description: "A statement item of the questionnaires, its wording and its aliases (contract 4.1).",
        members: [
            .required("item", .text),
            .required("label", .text),
            .optional("labelNl", .text),
            .optional("aliases", .uniqueTexts, description: "other ids of the same item, no repeats"),
        ]
    ) { v in
        .statementDefined(StatementDefinition(item: v.text(0), label: v.text(1), labelNl: v.textIfPresent(2), aliases: v.textsIfPresent(3) ?? []))
    }
}
