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

    /// `institution.coded` for every organisation, two later recodings, and one recoding that is
    /// retracted as miscoded.
    func codingLines() -> [String] {
        var lines: [String] = []
        let start = DemoCohort.studyStart.description
        for inst in catalogue.institutions {
            lines.append(Self.coding(id: "code-\(inst.id)", institution: inst.id, name: inst.name, categories: inst.kind.categories,
                                     levels: inst.levels, at: start, reason: nil))
        }
        lines.append(Self.coding(id: "recode-wijkteam-1", institution: "wijkteam-1", name: "Sociaal Wijkteam Centrum",
                                 categories: ["help.formal.advice", "help.formal.victim"], levels: ["local"], at: "2023-09-01",
                                 reason: "also gives psychosocial help"))
        lines.append(Self.coding(id: "recode-coach-3", institution: "coach-3", name: "Online Coaching Na Geweld",
                                 categories: ["help.alternative"], levels: ["national"], at: "2023-10-02", reason: "name corrected"))
        lines.append(Self.coding(id: "recode-gp-2", institution: "gp-2", name: "Huisartsenpraktijk Het Plein",
                                 categories: ["help.formal.health", "help.informal"], levels: ["local"], at: "2023-11-01", reason: nil))
        var retract = JSONLine.event(id: "retract-recode-gp-2", type: "event.retracted", participant: nil, at: "2023-11-08", source: "manual", by: "coder-2")
        var data = JSONLine()
        data.add("event", "recode-gp-2")
        data.add("reason", "miscoded: a GP practice is not informal help")
        retract.add("data", object: data)
        lines.append(retract.line)
        return lines
    }

    static func coding(id: String, institution: String, name: String, categories: [String], levels: [String], at: String, reason: String?) -> String {
        var line = JSONLine.event(id: id, type: "institution.coded", participant: nil, at: at, source: "manual", by: "coder-1")
        var data = JSONLine()
        data.add("institution", institution)
        data.add("name", name)
        data.add("categories", categories)
        data.add("levels", levels)
        data.add("reason", reason)
        line.add("data", object: data)
        return line.line
    }
}
