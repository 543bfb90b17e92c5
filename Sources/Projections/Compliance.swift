import JourneyModel

/// One participant's weekly compliance with the questionnaire app (the ESM-import issue): per
/// week (ISO, Monday to Sunday, by the date of the prompt as written), the prompts sent, how many
/// were answered (completed or partial), expired, or otherwise missed (unanswered, canceled), the
/// response rate, and the median minutes from prompt to start over the answered ones. Sessions of
/// the one-off registration questionnaire are not weekly prompts and are left out.
public struct ComplianceWeek: Sendable, Equatable {
    public let participant: String
    /// ISO week, like `2023-W19`.
    public let week: String
    /// The Monday of that week.
    public let weekStart: CalendarDate
    /// Every prompt of the week.
    public var total = ComplianceCounts(kind: nil)
    /// The week's answered basic questionnaire (the latest, if several): a contact with an
    /// organisation in the seven days before the prompt's date, and one expected in the seven
    /// days from it.
    public var reportedLastWeek: Bool?
    public var expectedNextWeek: Bool?
    /// Whether the store holds a contact in those seven days (set where the answer is).
    public var recordedLastWeek: Bool?
    public var recordedNextWeek: Bool?

    /// The same counts per questionnaire kind (basic, retrospective, prospective), those with
    /// prompts that week, in that order.
    public var byKind: [ComplianceCounts] = []

    public var prompts: Int { total.prompts }
    public var answered: Int { total.answered }
    public var expired: Int { total.expired }
    public var missed: Int { total.missed }
    public var responseRate: Double { total.responseRate }
    public var medianLatencyMinutes: Double? { total.medianLatencyMinutes }
}

/// Prompts in a week - of one questionnaire kind, or of all (`kind` nil) - and what became of them.
public struct ComplianceCounts: Sendable, Equatable {
    public let kind: QuestionnaireKind?
    public var prompts = 0
    public var answered = 0
    public var expired = 0
    public var missed = 0
    /// Minutes from prompt to start, for answered sessions with a start time.
    var latencies: [Double] = []

    /// answered / prompts.
    public var responseRate: Double { prompts == 0 ? 0 : Double(answered) / Double(prompts) }

    /// The median minutes from prompt to start over the answered ones with a start time, `nil`
    /// without any.
    public var medianLatencyMinutes: Double? { Compliance.median(latencies) }

    /// Counts one prompt.
    mutating func add(_ s: Session) {
        prompts += 1
        switch s.status.outcome {
        case .answered:
            answered += 1
            // Both are date-times (the parser insists), so both have an instant.
            if let start = s.started?.instant, let prompt = s.prompted.instant {
                latencies.append(Double(start.seconds - prompt.seconds) / 60 + Double(Int(start.nanoseconds) - Int(prompt.nanoseconds)) / 60e9)
            }
        case .expired: expired += 1
        case .missed: missed += 1
        }
    }
}

public enum Compliance {
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted(), n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }

    /// The weeks of a participant's journey (non-retracted events by time) that had prompts, in
    /// order; `contactDays`: the dates of the participant's contacts (days since 1970-01-01), for
    /// comparing the weekly report with the contacts recorded.
    public static func weeks(participant: String, journey: [LoggedEvent], contactDays: [Int32] = []) -> [ComplianceWeek] {
        var byWeek: [Int32: ComplianceWeek] = [:]
        let contacts = contactDays.sorted()
        func anyContact(from first: Int32, through last: Int32) -> Bool {
            var lo = 0, hi = contacts.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if contacts[mid] < first { lo = mid + 1 } else { hi = mid }
            }
            return lo < contacts.count && contacts[lo] <= last
        }
        for logged in journey {
            guard case .session(let s) = logged.event.payload, s.kind != .registration else { continue }
            let day = s.prompted.date.daysSinceEpoch
            let monday = day - (day + 3) % 7
            var w = byWeek[monday] ?? ComplianceWeek(participant: participant, week: isoWeek(monday), weekStart: CalendarDate(daysSinceEpoch: monday))
            if s.status.isAnswered, s.contactLastWeek != nil || s.contactNextWeek != nil {
                // By time, so a later answer of the week replaces an earlier one.
                w.reportedLastWeek = s.contactLastWeek
                w.expectedNextWeek = s.contactNextWeek
                w.recordedLastWeek = anyContact(from: day - 7, through: day - 1)
                w.recordedNextWeek = anyContact(from: day, through: day + 6)
            }
            w.total.add(s)
            if !w.byKind.contains(where: { $0.kind == s.kind }) {
                w.byKind.append(ComplianceCounts(kind: s.kind))
                w.byKind.sort { QuestionnaireKind.allCases.firstIndex(of: $0.kind!)! < QuestionnaireKind.allCases.firstIndex(of: $1.kind!)! }
            }
            w.byKind[w.byKind.firstIndex { $0.kind == s.kind }!].add(s)
            byWeek[monday] = w
        }
        return byWeek.keys.sorted().map { byWeek[$0]! }
    }

    /// `YYYY-Www` of the week starting on `monday` (days since 1970-01-01).
    static func isoWeek(_ monday: Int32) -> String {
        let thursday = CalendarDate(daysSinceEpoch: monday + 3)
        let year = thursday.components.year
        let jan1 = CalendarDate(year: year, month: 1, day: 1)!
        let week = Int(thursday.daysSinceEpoch - jan1.daysSinceEpoch) / 7 + 1
        return "\(year)-W" + (week < 10 ? "0" : "") + String(week)
    }
}
