import JourneyModel

/// The values a coded column may take, each with a stable number (the code written to SPSS and
/// Stata, where value labels need numbers) and its labels. English labels always; Dutch ones where
/// the taxonomy has them (chains, categories, levels), English otherwise.
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
        ("both", "Both chains", "Beide ketens"), ("uncoded", "Not coded", "Niet gecodeerd"),
    ])

    /// Taxonomy category, numbered as in the taxonomy.
    public static let category = ValueSet("category", numbered: taxonomy.categories.map {
        Value(value: $0.code, code: Int32($0.number), en: $0.en, nl: $0.nl)
    })

    /// Level class of an institution's coded levels.
    public static let levelClass = ValueSet("level_class", [
        ("national", "National only", "Alleen landelijk"), ("regional", "Regional and/or local", "Regionaal en/of lokaal"),
        ("mixed", "National and regional or local", "Landelijk en regionaal of lokaal"), ("uncoded", "Not coded", "Niet gecodeerd"),
    ])

    /// Referral outcome.
    public static let outcome = ValueSet("outcome", [
        ("accepted", "Accepted", nil), ("refused", "Refused", nil), ("no-capacity", "No capacity (no place)", nil),
        ("not-eligible", "Not eligible (not our task)", nil), ("pending", "Pending", nil), ("unknown", "Unknown", nil),
    ])

    /// Pair status.
    public static let pairStatus = ValueSet("pair_status", [
        ("paired", "Expectation and experience paired", nil), ("expectation-only", "Expectation without experience", nil),
        ("experience-only", "Experience without expectation", nil),
    ])

    /// Why a participant left the study.
    public static let exitReason = ValueSet("exit_reason", [
        ("journey-ended", "Journey ended", nil), ("study-ended", "Study ended", nil), ("withdrew", "Withdrew", nil), ("lost", "Lost to follow-up", nil),
    ])

    /// Where a fact came from.
    public static let source = ValueSet("source", [
        ("intake-interview", "Intake interview", nil), ("esm", "Weekly questionnaire (experience sampling)", nil),
        ("closing-interview", "Closing interview", nil), ("case-file", "Case file", nil), ("manual", "Entered by hand", nil),
    ])

    /// Event type.
    public static let eventType = ValueSet("event_type", [
        ("participant.enrolled", "Participant enrolled", nil), ("participant.exited", "Participant exited", nil),
        ("institution.coded", "Institution coded", nil), ("contact", "Contact", nil), ("referral", "Referral", nil),
        ("expectation", "Expectation (before a contact)", nil), ("experience", "Experience (after a contact)", nil),
        ("event.retracted", "Event retracted", nil), ("esm.session", "Questionnaire prompt (app session)", nil),
    ])

    /// Booleans, as SPSS and Stata store them: 0 and 1.
    public static let boolean = ValueSet("boolean", numbered: [
        Value(value: "false", code: 0, en: "false", nl: nil), Value(value: "true", code: 1, en: "true", nl: nil),
    ])

    /// Every value set a dump uses, in a stable order.
    public static let all = [chain, category, levelClass, outcome, pairStatus, exitReason, source, eventType, boolean]
}
