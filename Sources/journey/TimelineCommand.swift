import ArgumentParser
import Foundation
import JourneyModel
import JourneyStore
import Projections

/// `journey timeline P`
struct TimelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "Replay one participant's journey: contacts, referrals, expectations and experiences by time.",
        discussion: """
            --as-of DATE keeps what happened on or before DATE (valid time). --upto SEQ or \
            --known-at INSTANT replays the log as the team knew it then (transaction time): later \
            events and later retractions do not exist. Referrals are marked REFUSED, DEAD END or \
            CYCLE; expectations show the experience they pair with and the per-item deltas.
            """
    )

    @Argument(help: "The participant's pseudonym.") var participant: String
    @Option(help: ArgumentHelp("Only events on or before this date (YYYY-MM-DD).", valueName: "DATE")) var asOf: String?
    @Option(help: ArgumentHelp("Replay the log as it stood at this RFC 3339 instant.", valueName: "INSTANT")) var knownAt: String?
    @OptionGroup var windows: WindowOptions
    @OptionGroup var options: ProjectionOptions

    func validate() throws {
        if let asOf, CalendarDate(asOf) == nil { throw ValidationError("--as-of: \"\(asOf)\" is not a date (YYYY-MM-DD)") }
        if let knownAt, Timestamp.parseMicros(knownAt) == nil {
            throw ValidationError("--known-at: \"\(knownAt)\" is not an RFC 3339 date-time with an offset")
        }
        if knownAt != nil && options.upto != nil { throw ValidationError("give --upto or --known-at, not both") }
    }

    struct Row: Encodable {
        let seq: UInt64, id: String, at: String, type: String, source: String
        let institution: String?, institutionName: String?, chain: String?, categories: [String]?
        let counterpart: String?, detail: String?
        let refused: Bool?, deadEnd: Bool?, inCycle: Bool?, chainDepth: Int?
        let pairedWith: String?, dayOffset: Int?, deltas: [String: Int]?
    }

    struct Output: Encodable {
        let participant: String, upto: UInt64, asOf: String?, events: [Row]
    }

    func run() throws {
        let state = try options.open()
        var upto = options.upto
        if let knownAt, let micros = Timestamp.parseMicros(knownAt) {
            upto = try state.store.read { try $0.lastSeq(appendedAtOrBefore: micros) }
        }
        let limit = asOf.flatMap(CalendarDate.init)
        let (seq, timeline) = try CohortRun.timeline(state, upto: upto, participant: participant, asOf: limit, windows: options.windows(windows.windows))
        let directory = timeline.directory
        let rows = timeline.entries.map { entry -> Row in
            let (e, a, p) = (entry.logged.event, entry.audit, entry.pair)
            let deltas = p.map { Dictionary(uniqueKeysWithValues: $0.items.map { ($0.item, $0.delta) }) }
            return Row(seq: entry.logged.seq, id: e.id, at: e.at.text, type: e.type.name, source: e.source.rawValue,
                       institution: e.institution, institutionName: entry.institutionName, chain: entry.chain, categories: entry.categories,
                       counterpart: e.counterpart, detail: e.detail, refused: a?.refused, deadEnd: a?.deadEnd,
                       inCycle: a?.inCycle, chainDepth: a?.chainDepth, pairedWith: entry.pairedWith, dayOffset: p?.dayOffset, deltas: deltas)
        }
        if options.format == .json {
            try printJSON(Output(participant: participant, upto: seq, asOf: asOf, events: rows))
            return
        }
        var title = "Journey of \(participant): \(rows.count) events (log up to seq \(seq)"
        if let asOf { title += ", as of \(asOf)" }
        print(title + ")")
        let width = max(10, timeline.entries.map { $0.logged.event.at.text.count }.max() ?? 10)
        for (entry, row) in zip(timeline.entries, rows) {
            let logged = entry.logged
            let at = row.at.padded(to: width)
            let type = row.type.padded(to: 20)
            var line = "\(at)  \(type) "
            let e = logged.event
            switch e.payload {
            case .referral(let r):
                line += "\(describe(r.from, directory)) -> \(describe(r.to, directory)): \(r.outcome.rawValue)"
                if let reason = r.reason { line += " (\(reason))" }
                var marks: [String] = []
                if row.refused == true { marks.append("REFUSED") }
                if row.deadEnd == true { marks.append("DEAD END") }
                if row.inCycle == true { marks.append("CYCLE") }
                if let d = row.chainDepth, d > 1 { marks.append("chain depth \(d)") }
                if !marks.isEmpty { line += "  [" + marks.joined(separator: ", ") + "]" }
            case .expectation(let x):
                line += "\(describe(x.institution, directory)) planned \(x.plannedFor)"
                if let via = x.cameVia { line += ", via \(via)" }
                if let f = x.expectedFulfilment { line += ", expects \(f)/5" }
            case .experience(let x):
                line += "\(describe(x.institution, directory)) on \(x.contactOn)"
                if let s = x.summary { line += ": \(s)" }
            case .session(let session):
                line += "\(session.kind.rawValue) questionnaire \"\(session.questionnaire)\": \(session.status.rawValue)"
                if let start = session.started?.instant, let prompt = session.prompted.instant, session.status.isAnswered {
                    line += " after \(plural(Int((start.seconds - prompt.seconds) / 60), "minute"))"
                }
            default:
                if let i = e.institution { line += describe(i, directory) }
                if let d = e.detail { line += (e.institution == nil ? "" : " - ") + d }
            }
            print(line.trimmingCharacters(in: .whitespaces))
            if case .expectation = e.payload, let p = entry.pair, let x = p.experience, let offset = p.dayOffset {
                let items = p.items.map { "\($0.item) \($0.expected)->\($0.experienced) (\($0.delta >= 0 ? "+" : "")\($0.delta))" }
                print(String(repeating: " ", count: width + 2) + "  -> experienced \(x.data.contactOn) (\(offset >= 0 ? "+" : "-")\(plural(abs(offset), "day")))" + (items.isEmpty ? "" : ": " + items.joined(separator: ", ")))
            }
        }
    }
}
