import JourneyModel

/// The values a coded column may take, each with a stable number (the code written to SPSS and
/// Stata, where value labels need numbers) and its labels in English and Dutch (`--labels nl`;
/// the taxonomy's own for chains and categories).
public struct ValueSet: Sendable {
    /// One value.
    public struct Value: Sendable {
        public let value: String
        public let code: Int32
        public let en: String
        public let nl: String?

        /// The label in `language`, falling back to English.
        public func label(_ language: LabelLanguage) -> String { language == .nl ? (nl ?? en) : en }
    }

    /// A name usable as an SPSS/Stata label-set name and an SQLite key.
    public let name: String
    public let values: [Value]

    init(_ name: String, _ values: [(String, String, String?)]) {
        self.name = name
        self.values = values.enumerated().map { i, v in Value(value: v.0, code: Int32(i + 1), en: v.1, nl: v.2) }
    }

    init(_ name: String, numbered values: [Value]) {
        self.name = name
        self.values = values
    }

    /// The categories of a covariate (contract 4.1), numbered in code order, with its labels.
    public init(covariate c: CovariateDefinition) {
        self.init("covariate_" + c.name, c.categories.map { ($0.code, $0.label, $0.labelNl) })
    }

    /// The value named by `text`, if it belongs to the set.
    public func value(_ text: String) -> Value? { values.first { $0.value == text } }
}

/// The language of value labels in SPSS and Stata files.
public enum LabelLanguage: String, Sendable, CaseIterable {
    case en, nl
}

extension ValueSet {
    static let taxonomy = Taxonomy.shared

    /// Chain of an institution: the taxonomy's two chains, both, or uncoded.
    public static let chain = ValueSet("chain", taxonomy.chains.map { ($0.code, $0.en, Optional($0.nl)) } + [
        ("both", "Both chains", "Beide ketens"), ("uncoded", "Not coded", "Niet gecodeerd"), ("none", "No chain involved", "Geen keten betrokken"),
    ])

    /// Taxonomy category, numbered as in the taxonomy.
    public static let category = ValueSet("category", numbered: taxonomy.categories.map {
        Value(value: $0.code, code: Int32($0.number), en: $0.en, nl: $0.nl)
    })

    /// Kind of organisation (contract 4.2), as `Schemas/taxonomy.json` labels them.
    public static let kind = ValueSet("kind", taxonomy.kinds.map { ($0.code, $0.en, Optional($0.nl)) })

    /// Professional group (contract 4.3), as `Schemas/taxonomy.json` labels them.
    public static let professional = ValueSet("professional", taxonomy.professionals.map { ($0.code, $0.en, Optional($0.nl)) })

    /// On whose behalf a contact or referral was (contract 4.1).
    public static let forWhom = ValueSet("for_whom", taxonomy.forWhom.map { ($0.code, $0.en, Optional($0.nl)) })

    /// A questionnaire of the app.
    public static let questionnaireKind = ValueSet("questionnaire_kind", [
        ("registration", "Registration", "Registratie"), ("basic", "Weekly basic questionnaire", "Wekelijkse basisvragenlijst"),
        ("retrospective", "After a contact (retrospective)", "Na een contact (retrospectief)"),
        ("prospective", "Before a contact (prospective)", "Voor een contact (prospectief)"),
    ])

    /// How a contact took place.
    public static let mode = ValueSet("mode", [
        ("in-person", "In person", "Persoonlijk"), ("phone", "By phone", "Telefonisch"), ("video", "By video", "Via video"),
        ("written", "In writing", "Schriftelijk"), ("other", "Other", "Anders"),
    ])

    /// Level class of an institution's coded levels.
    public static let levelClass = ValueSet("level_class", [
        ("national", "National only", "Alleen landelijk"), ("regional", "Regional and/or local", "Regionaal en/of lokaal"),
        ("mixed", "National and regional or local", "Landelijk en regionaal of lokaal"), ("uncoded", "Not coded", "Niet gecodeerd"),
    ])

    /// Referral outcome.
    public static let outcome = ValueSet("outcome", [
        ("accepted", "Accepted", "Geaccepteerd"), ("refused", "Refused", "Geweigerd"), ("no-capacity", "No capacity (no place)", "Geen capaciteit (geen plek)"),
        ("not-eligible", "Not eligible (not our task)", "Niet passend (niet onze taak)"), ("pending", "Pending", "In behandeling"), ("unknown", "Unknown", "Onbekend"),
    ])

    /// Pair status.
    public static let pairStatus = ValueSet("pair_status", [
        ("paired", "Expectation and experience paired", "Verwachting en ervaring gekoppeld"), ("expectation-only", "Expectation without experience", "Verwachting zonder ervaring"),
        ("experience-only", "Experience without expectation", "Ervaring zonder verwachting"),
    ])

    /// Why a participant left the study.
    public static let exitReason = ValueSet("exit_reason", [
        ("journey-ended", "Journey ended", "Traject afgerond"), ("study-ended", "Study ended", "Onderzoek afgelopen"), ("withdrew", "Withdrew", "Teruggetrokken"), ("lost", "Lost to follow-up", "Uit beeld geraakt"),
    ])

    /// Where a fact came from.
    public static let source = ValueSet("source", [
        ("intake-interview", "Intake interview", "Intakegesprek"), ("esm", "Weekly questionnaire (experience sampling)", "Wekelijkse vragenlijst (experience sampling)"),
        ("closing-interview", "Closing interview", "Eindgesprek"), ("case-file", "Case file", "Dossier"), ("manual", "Entered by hand", "Met de hand ingevoerd"),
    ])

    /// Event type.
    public static let eventType = ValueSet("event_type", [
        ("participant.enrolled", "Participant enrolled", "Deelnemer ingestroomd"), ("participant.exited", "Participant exited", "Deelnemer uitgestroomd"),
        ("institution.coded", "Institution coded", "Instantie gecodeerd"), ("contact", "Contact", "Contact"), ("referral", "Referral", "Verwijzing"),
        ("expectation", "Expectation (before a contact)", "Verwachting (voor een contact)"), ("experience", "Experience (after a contact)", "Ervaring (na een contact)"),
        ("event.retracted", "Event retracted", "Gebeurtenis ingetrokken"), ("esm.session", "Questionnaire prompt (app session)", "Vragenlijstmoment (app-sessie)"),
        ("covariate.defined", "Covariate defined (codebook)", "Covariaat gedefinieerd (codeboek)"),
        ("participant.described", "Participant described (covariates)", "Deelnemer beschreven (covariaten)"),
        ("statement.defined", "Statement item defined (codebook)", "Stelling gedefinieerd (codeboek)"),
        ("institution.agreed", "Institution coded by consensus", "Instantie gecodeerd in consensus"),
    ])

    /// Booleans, as SPSS and Stata store them: 0 and 1.
    public static let boolean = ValueSet("boolean", numbered: [
        Value(value: "false", code: 0, en: "false", nl: "nee"), Value(value: "true", code: 1, en: "true", nl: "ja"),
    ])

    /// Every value set a dump uses, in a stable order.
    public static let all = [chain, category, levelClass, outcome, pairStatus, exitReason, source, eventType, boolean, kind, professional, forWhom, mode, questionnaireKind]
}
