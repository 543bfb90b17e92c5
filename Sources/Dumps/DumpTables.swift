import JourneyModel

/// The tables a dump writes (contract section 3, plus `institution_categories`): columns in header
/// order, each with its type, a description, a short label (SPSS and Stata variable labels hold 80
/// characters) and, for coded columns, its value set; primary and foreign keys. The CSV headers,
/// `datapackage.json`, the SQLite schema and the SPSS/Stata metadata all come from here, so they
/// cannot disagree.
public enum DumpTables {
    /// The type of a column.
    public enum FieldType: String, Sendable {
        case string, integer, number, boolean, date
    }

    /// One column.
    public struct Field: Sendable {
        public let name: String
        public let type: FieldType
        public let description: String
        /// At most 80 characters.
        public let label: String
        /// The values a coded column takes, with their labels.
        public let values: ValueSet?
        /// True if the column can hold text written by a person (names, details, narratives):
        /// what a data manager checks before a dump leaves the team (`x-free-text` in the data
        /// package).
        public var freeText = false
    }

    /// A foreign key: `fields` of this table refer to `reference` fields of `table`.
    public struct ForeignKey: Sendable {
        public let fields: [String]
        public let table: String
        public let reference: [String]
    }

    /// One table.
    public struct Table: Sendable {
        public let name: String
        public let description: String
        public let fields: [Field]
        public var primaryKey: [String] = []
        public var foreignKeys: [ForeignKey] = []
        public var file: String { name + ".csv" }
        public var header: [String] { fields.map(\.name) }
    }

    private static func f(_ name: String, _ type: FieldType, _ description: String, label: String? = nil, values: ValueSet? = nil,
                          freeText: Bool = false) -> Field {
        precondition((label ?? description).utf8.count <= 80, "label of \(name) too long")
        return Field(name: name, type: type, description: description, label: label ?? description, values: values, freeText: freeText)
    }

    private static func fk(_ fields: [String], _ table: String, _ reference: [String]) -> ForeignKey {
        ForeignKey(fields: fields, table: table, reference: reference)
    }

    public static let participants = Table(name: "participants", description: "One row per participant: enrolment, exit and counts of non-retracted events and institutions.", fields: [
        f("participant", .string, "Participant pseudonym."),
        f("enrolled_on", .date, "Date of the latest non-retracted participant.enrolled event."),
        f("exited_on", .date, "Date of the latest non-retracted participant.exited event."),
        f("exit_reason", .string, "Reason of that exit: journey-ended, study-ended, withdrew or lost.", values: .exitReason),
        f("events", .integer, "Number of non-retracted events of the participant, retractions not counted."),
        f("contacts", .integer, "Number of non-retracted contact events."),
        f("referrals", .integer, "Number of non-retracted referral events."),
        f("expectations", .integer, "Number of non-retracted expectation events."),
        f("experiences", .integer, "Number of non-retracted experience events."),
        f("institutions_mentioned", .integer, "Number of distinct institutions named in the participant's non-retracted events."),
        f("institutions_contacted", .integer, "Number of distinct institutions named in a non-retracted contact or experience."),
        f("age_band", .string, "Age band from the latest enrolment, as written.", freeText: true),
        f("children_with_ex_partner", .boolean, "Has children with the (ex-)partner, from the latest enrolment.", values: .boolean),
        f("abuse", .string, "Kinds of abuse reported at the latest enrolment, sorted, ;-joined."),
        f("max_concurrent", .integer, "The largest number of the participant's episodes (any institution) open on one day (contract 4.4).", label: "Largest number of episodes open on one day"),
        f("unnamed_contacts", .integer, "Number of non-retracted contacts that name a professional but no institution.", label: "Contacts with a professional but no institution"),
    ], primaryKey: ["participant"])

    public static let institutions = Table(name: "institutions", description: "One row per institution that is coded or mentioned, with its current coding.", fields: [
        f("institution", .string, "Institution id."),
        f("name", .string, "Name from the institution's current coding.", freeText: true),
        f("chain", .string, "legal, help or both from the coded categories; uncoded without a coding.", values: .chain),
        f("categories", .string, "Taxonomy codes of the current coding, sorted, ;-joined."),
        f("levels", .string, "Levels of the current coding (national, regional, local), sorted, ;-joined."),
        f("level_class", .string, "national, regional (regional and/or local), mixed (national and regional or local), or uncoded.", label: "Level class: national, regional, mixed or uncoded", values: .levelClass),
        f("participants_mentioning", .integer, "Number of distinct participants whose non-retracted events name the institution."),
        f("participants_contacting", .integer, "Number of distinct participants with a non-retracted contact or experience with it.", label: "Number of participants with a contact or experience with it"),
        f("kind", .string, "Kind of organisation (contract 4.2) from the current coding, if the coder gave one.", label: "Kind of organisation (contract 4.2) from the current coding", values: .kind),
        f("coders", .string, "Coders with a current coding of the institution, ;-joined in byte order.", freeText: true),
        f("disputed", .boolean, "No consensus, and two coders' current codings differ (contract 4.1).", values: .boolean),
    ], primaryKey: ["institution"])

    public static let timeline = Table(name: "timeline", description: "Every non-retracted participant event, by participant and time.", fields: [
        f("participant", .string, "Participant pseudonym."),
        f("at", .string, "When it happened, exactly as imported: a date or an RFC 3339 date-time."),
        f("seq", .integer, "Log position of the event."),
        f("event_id", .string, "Event id."),
        f("type", .string, "Event type.", values: .eventType),
        f("source", .string, "Where the fact came from: intake-interview, esm, closing-interview, case-file or manual.", label: "Where the fact came from", values: .source),
        f("institution", .string, "The event's institution (for a referral: where to)."),
        f("counterpart", .string, "referral.from or expectation.cameVia (an institution id, self or network)."),
        f("detail", .string, "The outcome, role, reason or exit reason: the first present and non-empty.", freeText: true),
        f("role", .string, "A contact's role, as written.", freeText: true),
        f("reason", .string, "The data's reason (contact, referral, coding), as written.", freeText: true),
        f("mode", .string, "How a contact took place.", values: .mode),
        f("professional", .string, "A contact's professional group (contract 4.3).", values: .professional),
        f("for", .string, "On whose behalf a contact or referral was (participant when not given); empty for other types.", label: "On whose behalf a contact or referral was", values: .forWhom),
        f("by", .string, "Who recorded the event (the envelope's by).", freeText: true),
        f("recorded", .string, "When the event was recorded (the envelope's recorded), as written."),
    ], primaryKey: ["event_id"], foreignKeys: [fk(["participant"], "participants", ["participant"]), fk(["institution"], "institutions", ["institution"])])

    public static let pairs = Table(name: "pairs", description: "Expectations paired with experiences per participant and institution; leftovers unpaired.", fields: [
        f("participant", .string, "Participant pseudonym."),
        f("institution", .string, "Institution id."),
        f("status", .string, "paired, expectation-only or experience-only.", values: .pairStatus),
        f("expectation_id", .string, "Event id of the expectation."),
        f("experience_id", .string, "Event id of the experience."),
        f("planned_for", .date, "The expectation's plannedFor."),
        f("contact_on", .date, "The experience's contactOn."),
        f("day_offset", .integer, "contact_on - planned_for in days, for a pair."),
        f("expected_fulfilment", .integer, "The expectation's expectedFulfilment (0-5)."),
    ], foreignKeys: [fk(["participant"], "participants", ["participant"]), fk(["institution"], "institutions", ["institution"]), fk(["expectation_id"], "timeline", ["event_id"]), fk(["experience_id"], "timeline", ["event_id"])])

    public static let pairItems = Table(name: "pair_items", description: "Per pair, each statement item scored on both sides.", fields: [
        f("expectation_id", .string, "Event id of the expectation."),
        f("experience_id", .string, "Event id of the experience."),
        f("item", .string, "Statement item id."),
        f("expected", .integer, "Score before the contact (0-5)."),
        f("experienced", .integer, "Score after the contact (0-5)."),
        f("delta", .integer, "experienced - expected."),
    ], primaryKey: ["expectation_id", "experience_id", "item"], foreignKeys: [fk(["expectation_id"], "timeline", ["event_id"]), fk(["experience_id"], "timeline", ["event_id"])])

    public static let referrals = Table(name: "referrals", description: "The referral audit: every non-retracted referral with its flags.", fields: [
        f("participant", .string, "Participant pseudonym."),
        f("at", .string, "When the referral happened, as imported."),
        f("seq", .integer, "Log position of the referral."),
        f("event_id", .string, "Event id."),
        f("from", .string, "Referring institution id, self or network."),
        f("to", .string, "Institution referred to."),
        f("outcome", .string, "accepted, refused, no-capacity, not-eligible, pending or unknown.", values: .outcome),
        f("refused", .boolean, "Outcome is refused, no-capacity or not-eligible.", values: .boolean),
        f("dead_end", .boolean, "Not refused, and no contact or experience with the institution referred to within the follow-up window.", label: "Dead end: no contact with the institution referred to in the follow-up window", values: .boolean),
        f("chain_depth", .integer, "1 + the largest chain depth of an earlier referral arriving where this one starts.", label: "1 + largest chain depth of an earlier referral arriving where this one starts"),
        f("in_cycle", .boolean, "from and to lie in one cycle of the participant's referral graph, or are the same.", label: "from and to lie in one cycle of the referral graph, or are the same", values: .boolean),
        f("reason", .string, "The referral's reason, as written (a shelter's no place, not threatening enough...).", label: "The referral's reason, as written", freeText: true),
        f("for", .string, "On whose behalf (participant when not given).", values: .forWhom),
    ], primaryKey: ["event_id"], foreignKeys: [fk(["participant"], "participants", ["participant"]), fk(["event_id"], "timeline", ["event_id"]), fk(["to"], "institutions", ["institution"])])

    public static let referralNetwork = Table(name: "referral_network", description: "Referrals per (from, to) over all participants.", fields: [
        f("from", .string, "Referring institution id, self or network."),
        f("to", .string, "Institution referred to."),
        f("referrals", .integer, "Number of referrals."),
        f("refused", .integer, "Number of refused referrals."),
        f("participants", .integer, "Number of distinct participants."),
    ], primaryKey: ["from", "to"], foreignKeys: [fk(["to"], "institutions", ["institution"])])

    public static let institutionCategories = Table(name: "institution_categories", description: "One row per coded institution and taxonomy category of its current coding: the categories column of institutions.csv, tidy.", fields: [
        f("institution", .string, "Institution id."),
        f("category", .string, "Taxonomy code of one category of the institution's current coding.", values: .category),
        f("chain", .string, "The chain of that category: legal or help.", values: .chain),
    ], primaryKey: ["institution", "category"], foreignKeys: [fk(["institution"], "institutions", ["institution"])])

    public static let compliance = Table(name: "compliance", description: "Per participant and ISO week, the questionnaire app's weekly prompts (esm.session events, registration left out) and what became of them.", fields: [
        f("participant", .string, "Participant pseudonym."),
        f("week", .string, "ISO week of the prompts, like 2023-W19 (by the date of the prompt time as written).", label: "ISO week of the prompts, like 2023-W19"),
        f("week_start", .date, "The Monday of that week."),
        f("prompts", .integer, "Number of prompts (sessions) that week."),
        f("answered", .integer, "Number of them completed or partially completed."),
        f("expired", .integer, "Number of them expired."),
        f("missed", .integer, "Number of them unanswered or canceled."),
        f("response_rate", .number, "answered / prompts, rounded to 4 decimals."),
        f("median_latency_minutes", .number, "Median minutes from prompt to start over the answered prompts with a start time, 1 decimal.", label: "Median minutes from prompt to start, answered prompts"),
        f("reported_contact_last_week", .boolean, "The week's answered basic questionnaire: a contact with an organisation in the 7 days before the prompt's date.", label: "Reported a contact in the 7 days before the prompt", values: .boolean),
        f("recorded_contact_last_week", .boolean, "The store holds a contact in those 7 days (where the report is).", label: "A contact is recorded in those 7 days", values: .boolean),
        f("expected_contact_next_week", .boolean, "The week's answered basic questionnaire: a contact expected in the 7 days from the prompt's date.", label: "Expected a contact in the 7 days from the prompt", values: .boolean),
        f("recorded_contact_next_week", .boolean, "The store holds a contact in those 7 days (where the answer is).", label: "A contact is recorded in those 7 days", values: .boolean),
    ], primaryKey: ["participant", "week"], foreignKeys: [fk(["participant"], "participants", ["participant"])])

    public static let complianceKinds = Table(name: "compliance_kinds", description: "The compliance table per questionnaire kind: per participant, ISO week and kind (basic, retrospective, prospective), the prompts and what became of them.", fields: [
        f("participant", .string, "Participant pseudonym."),
        f("week", .string, "ISO week of the prompts (local dates), like 2023-W19."),
        f("kind", .string, "The questionnaire kind: basic, retrospective or prospective.", values: .questionnaireKind),
        f("prompts", .integer, "Number of prompts of that kind that week."),
        f("answered", .integer, "Number of them completed or partially completed."),
        f("expired", .integer, "Number of them expired."),
        f("missed", .integer, "Number of them unanswered or canceled."),
        f("response_rate", .number, "answered / prompts, rounded to 4 decimals."),
        f("median_latency_minutes", .number, "Median minutes from prompt to start over the answered prompts with a start time, 1 decimal.", label: "Median minutes from prompt to start, answered prompts"),
    ], primaryKey: ["participant", "week", "kind"], foreignKeys: [fk(["participant"], "participants", ["participant"]), fk(["participant", "week"], "compliance", ["participant", "week"])])

    public static let participantKinds = Table(name: "participant_kinds", description: "Per participant and kind of organisation (contract 4.2), how many of the institutions the participant mentioned have that kind in their current coding; kinds with at least one.", fields: [
        f("participant", .string, "Participant pseudonym."),
        f("kind", .string, "Kind of organisation.", values: .kind),
        f("institutions", .integer, "Institutions of that kind the participant mentioned."),
    ], primaryKey: ["participant", "kind"], foreignKeys: [fk(["participant"], "participants", ["participant"])])

    public static let episodes = Table(name: "episodes", description: "Per participant and institution, the episodes of involvement (contract 4.4): distinct dates of contacts and experiences, consecutive dates at most the episode gap apart.", fields: [
        f("participant", .string, "Participant pseudonym."),
        f("institution", .string, "Institution id."),
        f("episode", .integer, "Number of the episode with this institution, 1, 2, ... by start."),
        f("start", .date, "First date of the episode."),
        f("end", .date, "Last date of the episode."),
        f("dates", .integer, "Number of distinct dates in the episode."),
    ], primaryKey: ["participant", "institution", "episode"], foreignKeys: [fk(["participant"], "participants", ["participant"]), fk(["institution"], "institutions", ["institution"])])

    public static let spells = Table(name: "spells", description: "Sequence analysis, SPELL form (TraMineR seqformat from = \"SPELL\"): each episode of involvement (contract 4.4) as a spell with its state - the institution's kind or chain.", fields: [
        f("participant", .string, "Participant pseudonym (TraMineR id)."),
        f("begin", .date, "First date of the episode."),
        f("end", .date, "Last date of the episode."),
        f("state_kind", .string, "The institution's kind of organisation, or uncoded.", label: "State: the institution's kind of organisation"),
        f("state_chain", .string, "The institution's chain: legal, help, both or uncoded.", label: "State: the institution's chain", values: .chain),
        f("institution", .string, "Institution id."),
    ], foreignKeys: [fk(["participant"], "participants", ["participant"]), fk(["institution"], "institutions", ["institution"])])

    public static let sequenceWeeks = Table(name: "sequence_weeks", description: "Sequence analysis, STS form by week: per participant and study week (week 1 = the ISO week of the latest enrolment, else of the first event; through the week of the exit or the last episode), which chains were involved: an episode of an institution of that chain open that week.", fields: [
        f("participant", .string, "Participant pseudonym."),
        f("week", .integer, "Study week, 1 = the week of enrolment."),
        f("week_start", .date, "The Monday of that week."),
        f("state", .string, "none, legal, help or both: the chains of the episodes open that week (uncoded institutions count as none).", label: "Chains involved that week: none, legal, help or both", values: .chain),
    ], primaryKey: ["participant", "week"], foreignKeys: [fk(["participant"], "participants", ["participant"])])

    public static let professionals = Table(name: "professionals", description: "Per professional group of the study's Table 2 (contract 4.3, every group), the participants and contacts naming it.", fields: [
        f("professional", .string, "Professional group.", values: .professional),
        f("chain", .string, "The group's chain: legal, help or both.", values: .chain),
        f("participants", .integer, "Participants with a non-retracted contact naming the group."),
        f("contacts", .integer, "Non-retracted contacts naming the group."),
        f("unnamed_contacts", .integer, "Of those, contacts that name no institution."),
    ], primaryKey: ["professional"])

    public static let statements = Table(name: "statements", description: "Every statement of every non-retracted expectation and experience, paired or not (contract 4.5), its item's alias resolved.", fields: [
        f("participant", .string, "Participant pseudonym."),
        f("event_id", .string, "Event id of the expectation or experience."),
        f("type", .string, "expectation or experience.", values: .eventType),
        f("institution", .string, "The institution."),
        f("on", .date, "The expectation's plannedFor or the experience's contactOn."),
        f("item", .string, "Statement item id (an alias resolved to its item)."),
        f("score", .integer, "Score 0-5."),
    ], foreignKeys: [fk(["participant"], "participants", ["participant"]), fk(["event_id"], "timeline", ["event_id"]), fk(["institution"], "institutions", ["institution"])])

    public static let needs = Table(name: "needs", description: "Every need named in a non-retracted expectation, as written.", fields: [
        f("participant", .string, "Participant pseudonym."),
        f("event_id", .string, "Event id of the expectation."),
        f("institution", .string, "The institution."),
        f("need", .string, "The need, as written.", freeText: true),
    ], foreignKeys: [fk(["participant"], "participants", ["participant"]), fk(["event_id"], "timeline", ["event_id"]), fk(["institution"], "institutions", ["institution"])])

    public static let covariates = Table(name: "covariates", description: "The covariates defined in the log (covariate.defined), the definition in force; the categories' labels are in datapackage.json.", fields: [
        f("name", .string, "Covariate name: the column of participants.csv."),
        f("kind", .string, "integer, number, boolean, category or text."),
        f("label", .string, "Label in English.", freeText: true),
        f("label_nl", .string, "Label in Dutch.", freeText: true),
        f("categories", .string, "Category codes, sorted, ;-joined (category covariates)."),
    ], primaryKey: ["name"])

    public static let codings = Table(name: "codings", description: "Every non-retracted institution.coded and institution.agreed event (contract 4.5).", fields: [
        f("institution", .string, "Institution id."),
        f("event_id", .string, "Event id of the coding."),
        f("by", .string, "The coder (the event's by; empty when not given).", freeText: true),
        f("at", .string, "When it was coded, as imported."),
        f("consensus", .boolean, "True for an institution.agreed (a consensus).", values: .boolean),
        f("current", .boolean, "True for the event that is the institution's coding.", values: .boolean),
        f("kind", .string, "Kind of organisation, if given.", values: .kind),
        f("categories", .string, "Taxonomy codes, sorted, ;-joined."),
        f("levels", .string, "Levels, sorted, ;-joined."),
    ], primaryKey: ["event_id"], foreignKeys: [fk(["institution"], "institutions", ["institution"])])

    public static let agreement = Table(name: "agreement", description: "Agreement of the coders' current codings (contract 4.4): per dimension, Krippendorff's alpha (nominal) over all coders and Cohen's kappa per pair.", fields: [
        f("dimension", .string, "chain, level_class, kind or category:CODE."),
        f("coders", .string, "all, or a pair of coders A;B.", freeText: true),
        f("units", .integer, "Institutions taking part."),
        f("observed_agreement", .number, "Agreeing coder pairs over all coder pairs (all), or the share of units where the two agree.", label: "Observed agreement"),
        f("alpha", .number, "Krippendorff's alpha for nominal data (all rows); empty when 0/0."),
        f("kappa", .number, "Cohen's kappa (pair rows); empty when 0/0."),
    ])

    public static let texts = Table(name: "texts", description: "Narrative texts no other table carries, for qualitative follow-up (written only with dump --free-text): experience summaries.", fields: [
        f("participant", .string, "Participant pseudonym."),
        f("event_id", .string, "The event's id."),
        f("field", .string, "Which text of the event: summary (an experience's)."),
        f("text", .string, "The text as written.", freeText: true),
    ], primaryKey: ["event_id", "field"], foreignKeys: [fk(["participant"], "participants", ["participant"])])

    /// Every table a dump may write, in the order they are written.
    public static let all = [participants, institutions, institutionCategories, timeline, pairs, pairItems, referrals, referralNetwork, compliance,
                             complianceKinds, participantKinds, episodes, spells, sequenceWeeks, professionals, statements, needs, covariates, codings, agreement, texts]

    /// The tables of a dump: every one but `texts`, which only `freeText` dumps write, and the
    /// sequence tables, which only `sequences` dumps write; the participants table with one
    /// column per covariate of the codebook (contract 4.5).
    public static func tables(freeText: Bool, sequences: Bool = false, covariates: [CovariateDefinition] = []) -> [Table] {
        all.filter { ($0.name != texts.name || freeText) && (sequences || ($0.name != spells.name && $0.name != sequenceWeeks.name)) }
            .map { $0.name == participants.name ? participants(covariates: covariates) : $0 }
    }

    /// The participants table with a column per covariate, by name (contract 4.5).
    static func participants(covariates: [CovariateDefinition]) -> Table {
        guard !covariates.isEmpty else { return participants }
        var table = participants
        table = Table(name: table.name, description: table.description, fields: table.fields + covariates.map(covariateField),
                      primaryKey: table.primaryKey, foreignKeys: table.foreignKeys)
        return table
    }

    /// The column of a covariate: its label (80 characters at most), type and categories.
    static func covariateField(_ c: CovariateDefinition) -> Field {
        let label = c.label.count <= 80 ? c.label : String(c.label.prefix(77)) + "..."
        let description = "Covariate \(c.name) (\(c.kind.rawValue)): \(c.label), from the participant's latest participant.described naming it."
        switch c.kind {
        case .integer: return Field(name: c.name, type: .integer, description: description, label: label, values: nil)
        case .number: return Field(name: c.name, type: .number, description: description, label: label, values: nil)
        case .boolean: return Field(name: c.name, type: .boolean, description: description, label: label, values: .boolean)
        case .category: return Field(name: c.name, type: .string, description: description, label: label, values: ValueSet(covariate: c))
        case .text: return Field(name: c.name, type: .string, description: description, label: label, values: nil, freeText: true)
        }
    }
}
