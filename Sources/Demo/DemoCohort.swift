import JourneyModel

/// A synthetic cohort shaped like the study in `domain.md` - SYNTHETIC: every participant,
/// organisation name and answer is invented. Intake interviews reconstruct the past, weekly
/// questionnaires bring expectations before contacts and experiences after them, referrals are
/// refused ("no place", "not our task"), lead nowhere or go round in circles, some facts are
/// retracted or recoded, and most participants have a closing interview.
///
/// Output is deterministic for a seed and streamed participant by participant: each participant
/// draws from a generator seeded by the seed and their number alone, so 100,000 participants
/// never sit in memory together.
public struct DemoCohort: Sendable {
    public let participants: Int
    public let seed: UInt64
    let catalogue = DemoCatalogue.standard

    /// The first day of the study (March 2023) and the last (May 2024).
    static let studyStart = CalendarDate(year: 2023, month: 3, day: 1)!
    static let studyEnd = CalendarDate(year: 2024, month: 5, day: 31)!

    public init(participants: Int = 29, seed: UInt64 = 22) {
        self.participants = participants
        self.seed = seed
    }

    /// The pseudonym of participant `i` (0-based): P01...P29, P00001... for larger cohorts.
    public func pseudonym(_ i: Int) -> String {
        "P" + String(i + 1).leftPadded(max(2, String(participants).count))
    }

    /// Calls `emit` with every line of the cohort, in log order: the codings first, then each
    /// participant's facts in the order the team learned them.
    public func generate(_ emit: (String) throws -> Void) throws {
        for line in codingLines() { try emit(line) }
        for i in 0..<participants {
            var participant = ParticipantGenerator(cohort: self, index: i)
            for line in participant.lines() { try emit(line) }
        }
    }

    /// The codebooks (the covariates of the sample description, the statement items with their
    /// Dutch wording and the ids the first questionnaire version used), `institution.coded` for
    /// every organisation with its kind, two later recodings, and one recoding that is retracted
    /// as miscoded.
    func codingLines() -> [String] {
        var lines = Self.codebookLines()
        let start = DemoCohort.studyStart.description
        let codes = Taxonomy.shared.categories.map(\.code)
        for (n, inst) in catalogue.institutions.enumerated() {
            // Two coders: hanne codes first, janne a week later (her coding is the later one);
            // they disagree on about one in nine, more often where an organisation works in both
            // chains; a checker records the consensus for most disputes.
            var categories = inst.kind.categories, levels = inst.levels
            let boundary = categories.count > 1
            let disputed = boundary ? n % 2 == 0 : n % 11 == 3
            if disputed {
                if boundary {
                    categories = [categories[n % categories.count]]
                } else if n % 3 == 0 {
                    levels = levels == ["local"] ? ["regional"] : ["local"]
                } else {
                    // The next category of the same chain.
                    let chain = Taxonomy.shared.category(categories[0])?.chain
                    let same = codes.filter { Taxonomy.shared.category($0)?.chain == chain }
                    categories = [same[((same.firstIndex(of: categories[0]) ?? 0) + 1) % same.count]]
                }
            }
            lines.append(Self.coding(id: "hcode-\(inst.id)", institution: inst.id, name: inst.name, categories: categories, levels: levels,
                                     at: "2023-02-22", reason: nil, kind: inst.kind.kind, by: "hanne"))
            lines.append(Self.coding(id: "code-\(inst.id)", institution: inst.id, name: inst.name, categories: inst.kind.categories,
                                     levels: inst.levels, at: start, reason: nil, kind: inst.kind.kind))
            if disputed && n % 5 != 0 {
                lines.append(Self.coding(id: "agree-\(inst.id)", institution: inst.id, name: inst.name, categories: inst.kind.categories,
                                         levels: inst.levels, at: "2023-03-15", reason: "consensus of the coders and the checker",
                                         kind: inst.kind.kind, by: "checker", consensus: true))
            }
        }
        lines.append(Self.coding(id: "recode-wijkteam-1", institution: "wijkteam-1", name: "Sociaal Wijkteam Centrum",
                                 categories: ["help.formal.advice", "help.formal.victim"], levels: ["local"], at: "2023-09-01",
                                 reason: "also gives psychosocial help", kind: "neighbourhood-team"))
        lines.append(Self.coding(id: "recode-coach-3", institution: "coach-3", name: "Online Coaching Na Geweld",
                                 categories: ["help.alternative"], levels: ["national"], at: "2023-10-02", reason: "name corrected", kind: "coaching"))
        lines.append(Self.coding(id: "recode-gp-2", institution: "gp-2", name: "Huisartsenpraktijk Het Plein",
                                 categories: ["help.formal.health", "help.informal"], levels: ["local"], at: "2023-11-01", reason: nil, kind: "gp"))
        var retract = JSONLine.event(id: "retract-recode-gp-2", type: "event.retracted", participant: nil, at: "2023-11-08", source: "manual", by: "janne")
        var data = JSONLine()
        data.add("event", "recode-gp-2")
        data.add("reason", "miscoded: a GP practice is not informal help")
        retract.add("data", object: data)
        lines.append(retract.line)
        return lines
    }

    /// `covariate.defined` and `statement.defined` for the study's codebooks.
    static func codebookLines() -> [String] {
        var lines: [String] = []
        func define(_ id: String, _ type: String, _ data: JSONLine) {
            var line = JSONLine.event(id: id, type: type, participant: nil, at: "2023-02-15", source: "manual", by: "data-manager")
            line.add("data", object: data)
            lines.append(line.line)
        }
        func covariate(_ name: String, _ kind: String, _ label: String, _ labelNl: String, categories: [(String, String, String)] = [],
                       min: Int? = nil, max: Int? = nil) {
            var data = JSONLine()
            data.add("name", name)
            data.add("kind", kind)
            data.add("label", label)
            data.add("labelNl", labelNl)
            if !categories.isEmpty {
                var object = JSONLine()
                for (code, en, nl) in categories {
                    var labels = JSONLine()
                    labels.add("label", en)
                    labels.add("labelNl", nl)
                    object.add(code, object: labels)
                }
                data.add("categories", object: object)
            }
            if let min { data.add("min", min) }
            if let max { data.add("max", max) }
            define("cov-" + name, "covariate.defined", data)
        }
        covariate("age", "integer", "Age at intake (years)", "Leeftijd bij intake (jaren)", min: 18, max: 99)
        covariate("education", "category", "Highest completed education", "Hoogst afgeronde opleiding", categories: [
            ("primary", "Primary or lower secondary (vmbo)", "Basisonderwijs of vmbo"), ("secondary", "Upper secondary (havo, vwo)", "Havo of vwo"),
            ("vocational", "Vocational (mbo)", "Mbo"), ("higher", "Higher (hbo, university)", "Hbo of wo"),
        ])
        covariate("migration", "category", "Migration background", "Migratieachtergrond", categories: [
            ("none", "None (born in the Netherlands, both parents too)", "Geen"), ("western", "Western migration background", "Westerse migratieachtergrond"),
            ("non-western", "Non-western migration background", "Niet-westerse migratieachtergrond"),
        ])
        covariate("employed", "boolean", "In paid work at intake", "Betaald werk bij intake")
        let statements: [(String, String, String, [String])] = [
            ("listened", "They listened to me", "Er werd naar mij geluisterd", ["listens"]),
            ("took-seriously", "They took me seriously", "Ik werd serieus genomen", ["takes-seriously"]),
            ("clear-information", "I got clear information", "Ik kreeg duidelijke informatie", []),
            ("practical-help", "I got practical help", "Ik kreeg praktische hulp", []),
            ("felt-safe", "I felt safe", "Ik voelde me veilig", []),
            ("knew-next-steps", "I knew what would happen next", "Ik wist wat de volgende stappen waren", []),
        ]
        for (item, en, nl, aliases) in statements {
            var data = JSONLine()
            data.add("item", item)
            data.add("label", en)
            data.add("labelNl", nl)
            if !aliases.isEmpty { data.add("aliases", aliases) }
            define("st-" + item, "statement.defined", data)
        }
        return lines
    }

    static func coding(id: String, institution: String, name: String, categories: [String], levels: [String], at: String, reason: String?,
                       kind: String? = nil, by: String = "janne", consensus: Bool = false) -> String {
        JSONLine.coding(id: id, institution: institution, name: name, categories: categories, levels: levels, kind: kind, reason: reason, at: at,
                        by: by, consensus: consensus)
    }
}
