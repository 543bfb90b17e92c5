import Foundation
import JourneyModel

/// Turns the rows of an app export into events: an `esm.session` for every session (so missed
/// prompts are in the data too), and for an answered retrospective questionnaire a `contact` and
/// an `experience`, for an answered prospective one an `expectation`. Ids derive from the session
/// (participant, questionnaire file, prompt time), so the same export always gives the same
/// events and importing it twice appends nothing.
struct SessionConverter: Sendable {
    let mapping: ESMMapping
    let aliases: [String: String]

    /// One event line (as `JSONLine.event` writes it, its id first) and where it came from.
    struct Line {
        let json: String
        let file: String
        let row: Int
        /// The event's participant.
        let participant: String
        /// The event's id.
        let id: String

        init(json: String, file: String, row: Int, participant: String) {
            self.json = json
            self.file = file
            self.row = row
            self.participant = participant
            id = json.hasPrefix(#"{"id":""#) ? String(json.dropFirst(7).prefix { $0 != "\"" }) : ""
        }

        /// The same event under the id `id`.
        func renamed(_ id: String) -> Line {
            Line(json: json.replacingOccurrences(of: #"{"id":"\#(self.id)","#, with: #"{"id":"\#(id)","#), file: file, row: row, participant: participant)
        }
    }

    private(set) var lines: [Line] = []
    private(set) var errors: [String] = []
    private(set) var sessions = 0
    /// Routes turned into referrals, and those left out as already entered.
    private(set) var routes = 0, routesAlreadyEntered = 0

    /// A referral as the route rule compares them: from, to, and the day.
    struct Route: Hashable {
        let from: String
        let to: String
        let day: Int32
    }

    /// The participant's referrals already in the store (non-retracted).
    let referralsInStore: @Sendable (String) -> [Route]
    /// Per participant, the store's referrals and those this conversion made.
    private var knownRoutes: [String: [Route]] = [:]

    /// Days either side of the prompt within which an entered referral of the same route
    /// stands for the app's (`Schemas/STUDY-DATA.md`).
    static let routeDays: Int32 = 14

    /// The study's zone and the columns' formats.
    let clock: StudyClock

    init(mapping: ESMMapping, referralsInStore: @escaping @Sendable (String) -> [Route] = { _ in [] }) {
        self.mapping = mapping
        clock = mapping.clock
        aliases = mapping.normalisedAliases
        self.referralsInStore = referralsInStore
    }

    /// Converts every file of the export; `label` names a file in messages.
    mutating func convert(files: [(name: String, text: String)], label: (String) -> String) {
        let mapped = Set(mapping.questionnaires.map(\.file))
        for file in files where !mapped.contains(file.name) {
            errors.append("\(label(file.name)): unknown questionnaire: the mapping names no file \"\(file.name)\"")
        }
        // Each questionnaire's file on its own core, into its own converter; merged in the
        // mapping's order, so the lines and messages are the same whatever the timing.
        var found: [(q: ESMMapping.Questionnaire, file: (name: String, text: String), label: String)] = []
        for q in mapping.questionnaires {
            guard let file = files.first(where: { $0.name == q.file }) else {
                errors.append("\(label(q.file)): the mapping's questionnaire file is not in the export")
                continue
            }
            found.append((q, file, label(file.name)))
        }
        let results = ConverterSlots(count: found.count)
        let (mapping, referralsInStore, jobs) = (mapping, referralsInStore, found)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            var part = SessionConverter(mapping: mapping, referralsInStore: referralsInStore)
            do {
                let csv = try AppCSV(file: jobs[i].label, text: jobs[i].file.text)
                part.convert(csv, jobs[i].q)
            } catch {
                part.errors.append("\(error)")
            }
            results.set(i, part)
        }
        for part in results.all {
            lines += part.lines
            errors += part.errors
            sessions += part.sessions
            routes += part.routes
            routesAlreadyEntered += part.routesAlreadyEntered
        }
    }

    private mutating func convert(_ csv: AppCSV, _ q: ESMMapping.Questionnaire) {
        // Every column the mapping names must be in the file.
        var named: [(String, String)] = [("columns.participant", mapping.columns.participant), ("columns.prompted", mapping.columns.prompted),
                                         ("columns.status", mapping.columns.status)]
        for (field, column) in [("scheduled", mapping.columns.scheduled), ("started", mapping.columns.started), ("ended", mapping.columns.ended),
                                ("recorded", mapping.columns.recorded), ("expires", mapping.columns.expires)] {
            if let column { named.append(("columns." + field, column)) }
        }
        if let a = q.answers {
            for (field, column) in [("institution", a.institution), ("date", a.date), ("summary", a.summary), ("cameVia", a.cameVia),
                                    ("needs", a.needs), ("expectedFulfilment", a.expectedFulfilment),
                                    ("contactLastWeek", a.contactLastWeek), ("contactNextWeek", a.contactNextWeek)] {
                if let column { named.append(("answers." + field, column)) }
            }
        }
        for (item, column) in (q.statements ?? [:]).sorted(by: { $0.key < $1.key }) { named.append(("statements." + item, column)) }
        for (field, column) in (q.questions ?? [:]).sorted(by: { $0.key < $1.key }) { named.append(("questions." + field, column)) }
        for column in q.ignored ?? [] { named.append(("ignored", column)) }
        var missing = false
        for (field, column) in named where csv.column(column) == nil {
            errors.append("\(csv.file): column \"\(column)\" (the mapping's \(q.file) \(field)) is not in the file; its columns are: \(csv.header.joined(separator: ", "))")
            missing = true
        }
        // Every answer is kept or deliberately left out: a column the mapping does not name is an error.
        let known = Set(named.map(\.1))
        for column in csv.header where !known.contains(column) {
            errors.append("\(csv.file): column \"\(column)\" is not in the mapping: map it (answers, statements, questions) or list it in the questionnaire's ignored")
            missing = true
        }
        if missing { return }
        let kind = QuestionnaireKind(rawValue: q.kind)!
        for row in csv.rows { convert(row, csv, q, kind) }
    }

    private mutating func convert(_ row: (line: Int, fields: [String]), _ csv: AppCSV, _ q: ESMMapping.Questionnaire, _ kind: QuestionnaireKind) {
        let before = errors.count
        func value(_ column: String?) -> String? {
            guard let column, let i = csv.column(column) else { return nil }
            let v = row.fields[i].trimmingCharacters(in: .whitespaces)
            return v.isEmpty ? nil : v
        }
        func fail(_ column: String, _ message: String) { errors.append("\(csv.file):\(row.line): column \"\(column)\": \(message)") }
        var promptedUTC = ""
        func instant(_ column: String?) -> String? {
            guard let column, let raw = value(column) else { return nil }
            guard let stamp = clock.timestamp(raw, column: column) else {
                fail(column, "\"\(raw)\" is not a timestamp (like 2023-05-14 08:31:05.385000+00:00\(mapping.formats?[column].map { ", or \($0)" } ?? ""))")
                return nil
            }
            if column == mapping.columns.prompted { promptedUTC = stamp.utc }
            return stamp.text
        }

        let c = mapping.columns
        var participant: String?
        if let raw = value(c.participant) {
            if let table = mapping.participants {
                if let p = table[raw] { participant = p } else { fail(c.participant, "participant id \"\(raw)\" is not in the mapping's participants") }
            } else if Identifier.matches(raw) {
                participant = raw
            } else {
                fail(c.participant, "\"\(raw)\" is not a pseudonym (1-64 of A-Z a-z 0-9 . _ -)")
            }
        } else {
            fail(c.participant, "no participant")
        }
        let prompted = instant(c.prompted)
        if value(c.prompted) == nil { fail(c.prompted, "no prompt time") }
        var status: SessionStatus?
        if let raw = value(c.status) {
            let mapped = mapping.statuses?[raw] ?? raw.lowercased()
            if let s = SessionStatus(rawValue: mapped) { status = s } else {
                fail(c.status, "unknown status \"\(raw)\"" + (mapping.statuses == nil ? "" : " (not in the mapping's statuses)"))
            }
        } else {
            fail(c.status, "no status")
        }
        let scheduled = instant(c.scheduled), started = instant(c.started), ended = instant(c.ended)
        let recorded = instant(c.recorded), expires = instant(c.expires)
        // What an answered session says: the basic questionnaire's yes/no answers and every
        // other mapped question, kept as answered.
        var lastWeek: Bool?, nextWeek: Bool?
        var answers: [(String, String)] = []
        if status?.isAnswered == true {
            func yesNo(_ column: String?) -> Bool? {
                guard let column, let raw = value(column) else { return nil }
                guard let answer = mapping.yesNo(raw) else {
                    fail(column, "\"\(raw)\" is not a yes or no answer (the mapping's yesNo)")
                    return nil
                }
                return answer
            }
            lastWeek = yesNo(q.answers?.contactLastWeek)
            nextWeek = yesNo(q.answers?.contactNextWeek)
            for (field, column) in (q.questions ?? [:]).sorted(by: { $0.key < $1.key }) {
                if let text = value(column) { answers.append((field, text)) }
            }
        }
        guard errors.count == before, let participant, let prompted, let status else { return }

        let stem = String(String.UnicodeScalarView(q.file.replacingOccurrences(of: ".csv", with: "").unicodeScalars.map {
            $0.isASCII && Identifier.allowed(UInt8($0.value), colon: false) ? $0 : "_"
        }))
        // From the prompt's moment in UTC: the same session has the same id whatever the zone.
        let compact = promptedUTC
        let sessionID = String("esm:\(participant):\(stem):\(compact)".prefix(120))

        var session = JSONLine.event(id: sessionID, type: "esm.session", participant: participant, at: prompted, recorded: recorded, source: "esm")
        var data = JSONLine()
        data.add("questionnaire", q.displayName)
        data.add("kind", kind.rawValue)
        data.add("status", status.rawValue)
        data.add("prompted", prompted)
        data.add("scheduled", scheduled)
        data.add("started", started)
        data.add("ended", ended)
        data.add("expires", expires)
        if let lastWeek { data.add("contactLastWeek", lastWeek) }
        if let nextWeek { data.add("contactNextWeek", nextWeek) }
        if !answers.isEmpty {
            var object = JSONLine()
            for (field, text) in answers { object.add(field, text) }
            data.add("answers", object: object)
        }
        session.add("data", object: data)
        var produced = [session.line]
        sessions += 1

        if status.isAnswered, kind == .retrospective || kind == .prospective, let answers = q.answers, let instColumn = answers.institution,
           let name = value(instColumn) {
            // An answered questionnaire about a contact: resolve the organisation, read the date and scores.
            let institution = resolve(name, instColumn, referrer: false, fail)
            var date: String?
            if let dateColumn = answers.date {
                if let raw = value(dateColumn) {
                    date = clock.date(raw, column: dateColumn)
                    if date == nil { fail(dateColumn, "\"\(raw)\" is not a date (\(mapping.formats?[dateColumn] ?? "YYYY-MM-DD"))") }
                } else {
                    fail(dateColumn, "no date for the contact with \"\(name)\"")
                }
            }
            var scores: [(String, Int)] = []
            for (item, column) in (q.statements ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let raw = value(column) else { continue }
                if let score = Int(raw), (0...5).contains(score) { scores.append((item, score)) } else {
                    fail(column, "score \"\(raw)\" is not an integer 0-5")
                }
            }
            let at = recorded ?? ended ?? prompted
            if errors.count == before, let institution, let date {
                if kind == .retrospective {
                    var contact = JSONLine.event(id: sessionID + ":contact", type: "contact", participant: participant, at: date, recorded: recorded, source: "esm")
                    var cd = JSONLine()
                    cd.add("institution", institution)
                    contact.add("data", object: cd)
                    var experience = JSONLine.event(id: sessionID + ":experience", type: "experience", participant: participant, at: at,
                                                    recorded: recorded, source: "esm")
                    var xd = JSONLine()
                    xd.add("institution", institution)
                    xd.add("contactOn", date)
                    xd.add("summary", answers.summary.flatMap(value))
                    xd.add("statements", scores: scores)
                    experience.add("data", object: xd)
                    produced += [contact.line, experience.line]
                } else {
                    var cameVia: String?
                    if let column = answers.cameVia, let raw = value(column) { cameVia = resolve(raw, column, referrer: true, fail) }
                    var fulfilment: Int?
                    if let column = answers.expectedFulfilment, let raw = value(column) {
                        if let f = Int(raw), (0...5).contains(f) { fulfilment = f } else { fail(column, "\"\(raw)\" is not an integer 0-5") }
                    }
                    let needs = answers.needs.flatMap(value).map {
                        $0.split(whereSeparator: { $0 == ";" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                    }
                    if errors.count == before {
                        var expectation = JSONLine.event(id: sessionID + ":expectation", type: "expectation", participant: participant, at: at,
                                                         recorded: recorded, source: "esm")
                        var ed = JSONLine()
                        ed.add("institution", institution)
                        ed.add("plannedFor", date)
                        ed.add("cameVia", cameVia)
                        if let needs, !needs.isEmpty { ed.add("needs", needs) }
                        if let fulfilment { ed.add("expectedFulfilment", fulfilment) }
                        ed.add("statements", scores: scores)
                        expectation.add("data", object: ed)
                        produced.append(expectation.line)
                        if q.routesAsReferrals == true, let from = cameVia,
                           let route = referral(participant: participant, from: from, to: institution, prompted: prompted,
                                                id: sessionID + ":referral", recorded: recorded) {
                            produced.append(route)
                        }
                    }
                }
            }
        }
        guard errors.count == before else { return }
        for json in produced { lines.append(Line(json: json, file: csv.file, row: row.line, participant: participant)) }
    }

    /// The referral an answered route stands for - from where she came to the contact's
    /// institution, accepted, at the prompt - unless the participant already has a referral of
    /// that route (in the store or made by this conversion) within `routeDays` of the prompt.
    private mutating func referral(participant: String, from: String, to: String, prompted: String, id: String, recorded: String?) -> String? {
        guard let day = Moment(prompted)?.date.daysSinceEpoch else { return nil }
        if knownRoutes[participant] == nil { knownRoutes[participant] = referralsInStore(participant) }
        if knownRoutes[participant]!.contains(where: { $0.from == from && $0.to == to && abs($0.day - day) <= Self.routeDays }) {
            routesAlreadyEntered += 1
            return nil
        }
        knownRoutes[participant]!.append(Route(from: from, to: to, day: day))
        routes += 1
        var line = JSONLine.event(id: id, type: "referral", participant: participant, at: prompted, recorded: recorded, source: "esm")
        var data = JSONLine()
        data.add("from", from)
        data.add("to", to)
        data.add("outcome", "accepted")
        line.add("data", object: data)
        return line.line
    }

    /// The institution id (or self/network where allowed) a typed name stands for.
    private func resolve(_ name: String, _ column: String, referrer: Bool, _ fail: (String, String) -> Void) -> String? {
        guard let id = aliases[ESMMapping.normalise(name)] else {
            fail(column, "institution name \"\(name)\" has no alias in the mapping; add one to aliases and import again")
            return nil
        }
        if !referrer, !Referrer.isInstitution(id) {
            fail(column, "\"\(name)\" stands for \(id), not an institution")
            return nil
        }
        return id
    }
}

/// The converters of the files, filled by the workers.
private final class ConverterSlots: @unchecked Sendable {  // every access under `lock`
    private var parts: [SessionConverter?]
    private let lock = NSLock()

    init(count: Int) { parts = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ part: SessionConverter) {
        lock.lock()
        parts[i] = part
        lock.unlock()
    }

    var all: [SessionConverter] {
        lock.lock()
        defer { lock.unlock() }
        return parts.compactMap { $0 }
    }
}
