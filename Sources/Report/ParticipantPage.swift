import JourneyModel
import Projections

/// One participant's page: the journey as swimlanes over time (one lane per taxonomy category,
/// grouped by chain), contacts as dots, referrals as arrows (refused, dead end and in-cycle drawn
/// differently), expectation -> experience pairs linked and coloured by delta, a legend, and the
/// tables behind the picture.
struct ParticipantPage {
    let participant: String
    let journey: [LoggedEvent]
    let facts: ParticipantFacts
    let pairs: [Pair]
    let audit: [AuditedReferral]
    let directory: InstitutionDirectory

    static let width = 1240, left = 250, right = 30, laneHeight = 40, axisHeight = 46
    /// The lane of the questionnaire app's prompts, below the categories.
    static let promptsLane = "app-prompts"
    /// The lane of contacts with a professional of no named organisation (contract 4.4).
    static let unnamedLane = "unnamed-professionals"

    /// The lane of an institution: its first category in taxonomy order, or uncoded.
    private func lane(of institution: String) -> String {
        directory.categories(of: institution).min { number($0) < number($1) } ?? "uncoded"
    }

    private func number(_ category: String) -> Int { Taxonomy.shared.category(category)?.number ?? 99 }

    private func name(_ id: String) -> String { directory.displayName(id, withID: true) }

    func html() -> String {
        var body = "<header><h1>Participant \(HTML.escape(participant))</h1><p><a href=\"../index.html\">← cohort</a> · "
        body += "enrolled \(facts.enrolledOn?.description ?? "-")"
        if let exited = facts.exitedOn { body += " · exited \(exited) (\(facts.exitReason?.rawValue ?? "-"))" }
        body += " · \(facts.mentioned.count) institutions named, \(facts.contacted.count) contacted · \(facts.contacts) contacts, \(facts.referrals) referrals, \(facts.expectations) expectations, \(facts.experiences) experiences</p></header><main>"
        body += "<section><h2>The journey over time</h2>\(swimlanes())\(legend())\(episodeBars())</section>"
        body += "<section><h2>Referrals</h2>\(referralTable())</section>"
        body += "<section><h2>Expectations and experiences</h2>\(pairTable())</section>"
        body += "<section><h2>Timeline</h2>\(timelineTable())</section>"
        body += "<p class=\"note\">Every event here is a non-retracted event of the log, as of the report's log position.</p></main>"
        return HTML.page(title: "Journey of \(participant)", body: body)
    }

    // MARK: Swimlanes

    func swimlanes() -> String {
        // Every institution on the page, and the days to cover.
        var institutions: [String] = []
        var days: [Int32] = []
        func note(_ id: String?) { if let id, Referrer.isInstitution(id), !institutions.contains(id) { institutions.append(id) } }
        for logged in journey {
            let e = logged.event
            days.append(e.date.daysSinceEpoch)
            switch e.payload {
            case .contact(let c): note(c.institution)
            case .referral(let r): note(r.from); note(r.to)
            case .expectation(let x): note(x.institution); days.append(x.plannedFor.daysSinceEpoch)
            case .experience(let x): note(x.institution); days.append(x.contactOn.daysSinceEpoch)
            default: break
            }
        }
        guard let lo = days.min(), let hi = days.max() else { return "<p class=\"note\">No events.</p>" }
        let d0 = lo - 10, d1 = max(hi + 10, lo + 40)
        var lanes = Set(institutions.map(lane(of:))).sorted { number($0) < number($1) }
        if lanes.isEmpty { lanes = ["uncoded"] }
        let sessions: [(Int32, Session)] = journey.compactMap { logged in
            if case .session(let s) = logged.event.payload { return (logged.event.date.daysSinceEpoch, s) }
            return nil
        }
        let hasUnnamed = journey.contains { if case .contact(let c) = $0.event.payload { c.institution == nil } else { false } }
        if hasUnnamed { lanes.append(Self.unnamedLane) }
        if !sessions.isEmpty { lanes.append(Self.promptsLane) }
        let laneIndex = Dictionary(uniqueKeysWithValues: lanes.enumerated().map { ($1, $0) })
        var slot: [String: Int] = [:], perLane: [String: Int] = [:]
        for id in institutions {
            let l = lane(of: id)
            slot[id] = perLane[l, default: 0]
            perLane[l, default: 0] += 1
        }
        let W = Self.width, L = Self.left, R = Self.right, H = Self.laneHeight, A = Self.axisHeight
        let height = A + H * lanes.count + 10
        let plotW = Double(W - L - R)
        func x(_ d: Int32) -> Double { Double(L) + plotW * Double(d - d0) / Double(d1 - d0) }
        func fx(_ d: Int32) -> String { HTML.number(x(d), decimals: 1) }
        func y(_ id: String) -> Double {
            guard Referrer.isInstitution(id) else { return Double(A + H / 2) }
            let l = lane(of: id)
            let base = Double(A + (laneIndex[l] ?? 0) * H + H / 2)
            let n = perLane[l] ?? 1, s = slot[id] ?? 0
            return n <= 1 ? base : base + Double(s % 3 - 1) * 9
        }
        func fy(_ v: Double) -> String { HTML.number(v, decimals: 1) }

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(W) \(height)\" width=\"\(W)\" height=\"\(height)\" role=\"img\" aria-label=\"journey of \(HTML.escape(participant))\">"
        svg += """
            <defs>\
            <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="\(ReportStyle.accepted)"/></marker>\
            <marker id="arrow-refused" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="9" markerHeight="9" orient="auto"><path d="M1,1 L9,9 M9,1 L1,9" stroke="\(ReportStyle.refused)" stroke-width="2.2"/></marker>\
            <marker id="arrow-dead" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="9" markerHeight="9" orient="auto"><path d="M5,0 L5,10" stroke="\(ReportStyle.deadEnd)" stroke-width="3"/></marker>\
            </defs>
            """
        // Lanes with their labels, grouped by chain.
        for (i, l) in lanes.enumerated() {
            let top = A + i * H
            let category = Taxonomy.shared.category(l)
            let chain = category?.chain ?? (l == Self.promptsLane || l == Self.unnamedLane ? "" : "uncoded")
            let label = l == Self.promptsLane ? "questionnaire app prompts"
                : l == Self.unnamedLane ? "professionals, no organisation named"
                : category.map { "\($0.number). \($0.en)" } ?? "uncoded institutions"
            svg += "<rect x=\"0\" y=\"\(top)\" width=\"\(W)\" height=\"\(H)\" fill=\"\(i % 2 == 0 ? "#f7f9fb" : "#ffffff")\"/>"
            if !chain.isEmpty {
                svg += "<rect x=\"0\" y=\"\(top)\" width=\"6\" height=\"\(H)\" fill=\"\(ReportStyle.chain(chain))\"><title>\(chain) chain</title></rect>"
            }
            svg += "<text x=\"14\" y=\"\(top + H / 2 + 4)\">\(HTML.escape(label))</text>"
        }
        // Month ticks.
        var month = CalendarDate(daysSinceEpoch: d0).components
        month.day = 1
        let months = Int(d1 - d0) / 30
        let every = months > 30 ? 6 : months > 14 ? 3 : 1
        var m = 0
        while let first = CalendarDate(year: month.year, month: month.month, day: 1), first.daysSinceEpoch <= d1 {
            if first.daysSinceEpoch >= d0, m % every == 0 {
                let xx = fx(first.daysSinceEpoch)
                svg += "<line x1=\"\(xx)\" y1=\"\(A - 6)\" x2=\"\(xx)\" y2=\"\(height - 10)\" stroke=\"#e4e4e4\"/>"
                svg += "<text x=\"\(xx)\" y=\"\(A - 10)\" text-anchor=\"middle\">\(String(first.description.prefix(7)))</text>"
            }
            m += 1
            month.month += 1
            if month.month > 12 { month.month = 1; month.year += 1 }
        }
        // Enrolment and exit.
        if let d = facts.enrolledOn {
            svg += "<line x1=\"\(fx(d.daysSinceEpoch))\" y1=\"\(A - 4)\" x2=\"\(fx(d.daysSinceEpoch))\" y2=\"\(height - 10)\" stroke=\"#222\" stroke-dasharray=\"2 3\"><title>intake interview (enrolled) \(d)</title></line>"
            svg += "<text x=\"\(fx(d.daysSinceEpoch))\" y=\"12\" text-anchor=\"middle\" font-weight=\"600\">intake</text>"
        }
        if let d = facts.exitedOn {
            svg += "<line x1=\"\(fx(d.daysSinceEpoch))\" y1=\"\(A - 4)\" x2=\"\(fx(d.daysSinceEpoch))\" y2=\"\(height - 10)\" stroke=\"#222\" stroke-dasharray=\"2 3\"><title>exit \(d): \(facts.exitReason?.rawValue ?? "")</title></line>"
            // Near the right edge the label ends at the line instead of centring on it.
            let anchor = x(d.daysSinceEpoch) > Double(W - 120) ? "end" : "middle"
            svg += "<text x=\"\(fx(d.daysSinceEpoch))\" y=\"12\" text-anchor=\"\(anchor)\" font-weight=\"600\">exit (\(facts.exitReason?.rawValue ?? ""))</text>"
        }
        // Referrals: arrows from where she was sent to where she was sent.
        for a in audit {
            let r = a.referral, d = a.logged.event.date.daysSinceEpoch
            let own = !Referrer.isInstitution(r.from)
            // On her own or her network's initiative: a short arrow from an open circle above.
            let x1 = x(d), y2 = y(r.to), y1 = own ? y2 - 16 : y(r.from)
            let x2 = x1 + 4
            let bend = abs(y2 - y1) < 1 ? 26.0 : 18.0
            let path = own ? "M\(fy(x1)),\(fy(y1 + 3)) L\(fy(x1)),\(fy(y2 - 6))"
                : abs(y2 - y1) < 1
                ? "M\(fy(x1)),\(fy(y1)) C\(fy(x1 + 10)),\(fy(y1 - bend)) \(fy(x2 + 10)),\(fy(y2 - bend)) \(fy(x2 + 8)),\(fy(y2 - 3))"
                : "M\(fy(x1)),\(fy(y1)) C\(fy(x1 + bend)),\(fy(y1)) \(fy(x2 + bend)),\(fy(y2)) \(fy(x2)),\(fy(y2))"
            var flags: [String] = [r.outcome.rawValue]
            if a.refused { flags.append("refused") }
            if a.deadEnd { flags.append("dead end") }
            if a.inCycle { flags.append("in a cycle") }
            let title = HTML.escape("\(a.logged.event.at.text) referral from \(name(r.from)) to \(name(r.to)): \(flags.joined(separator: ", "))\(r.reason.map { " - \"\($0)\"" } ?? ""); chain depth \(a.chainDepth)")
            let kind = a.refused ? "refused" : a.deadEnd ? "dead-end" : a.inCycle ? "cycle" : "accepted"
            svg += "<g data-referral=\"\(kind)\" data-in-cycle=\"\(a.inCycle)\"><title>\(title)</title>"
            if own { svg += "<circle cx=\"\(fy(x1))\" cy=\"\(fy(y1))\" r=\"3\" fill=\"#fff\" stroke=\"\(ReportStyle.accepted)\"/>" }
            if a.inCycle { svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(ReportStyle.cycle)\" stroke-width=\"7\" stroke-opacity=\"0.35\"/>" }
            switch kind {
            case "refused":
                svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(ReportStyle.refused)\" stroke-width=\"2\" stroke-dasharray=\"6 3\" marker-end=\"url(#arrow-refused)\"/>"
            case "dead-end":
                svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(ReportStyle.deadEnd)\" stroke-width=\"2\" stroke-dasharray=\"1.5 3\" marker-end=\"url(#arrow-dead)\"/>"
            case "cycle":
                svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(ReportStyle.cycle)\" stroke-width=\"2\" marker-end=\"url(#arrow)\"/>"
            default:
                svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(ReportStyle.accepted)\" stroke-width=\"1.4\" marker-end=\"url(#arrow)\"/>"
            }
            svg += "</g>"
        }
        // Expectation -> experience pairs, linked and coloured by the mean delta of their items.
        for pair in pairs {
            let inst = pair.institution
            let yy = y(inst)
            let e = pair.expectation, xp = pair.experience
            let items = pair.items
            let mean = items.isEmpty ? 0 : Double(items.map(\.delta).reduce(0, +)) / Double(items.count)
            let colour = pair.status == .paired ? ReportStyle.delta(mean) : ReportStyle.neutral
            var title = "\(pair.status.rawValue) at \(name(inst))"
            if let e { title += "; expected for \(e.data.plannedFor)" + (e.data.expectedFulfilment.map { ", fulfilment \($0)/5" } ?? "") }
            if let xp { title += "; experienced on \(xp.data.contactOn)" }
            if let d = pair.dayOffset { title += "; day offset \(d)" }
            if !items.isEmpty { title += "; " + items.map { "\($0.item) \($0.expected)→\($0.experienced) (\($0.delta > 0 ? "+" : "")\($0.delta))" }.joined(separator: ", ") }
            svg += "<g data-pair=\"\(pair.status.rawValue)\"><title>\(HTML.escape(title))</title>"
            if let e, let xp {
                svg += "<line x1=\"\(fx(e.data.plannedFor.daysSinceEpoch))\" y1=\"\(fy(yy - 11))\" x2=\"\(fx(xp.data.contactOn.daysSinceEpoch))\" y2=\"\(fy(yy + 11))\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
            }
            if let e {
                let ex = x(e.data.plannedFor.daysSinceEpoch)
                svg += "<path d=\"M\(fy(ex)),\(fy(yy - 17)) l5,9 h-10 z\" fill=\"\(xp == nil ? "#fff" : colour)\" stroke=\"\(xp == nil ? ReportStyle.neutral : "#222")\" stroke-width=\"1\"\(xp == nil ? " stroke-dasharray=\"2 1.5\"" : "")/>"
            }
            if let xp {
                let xx = x(xp.data.contactOn.daysSinceEpoch)
                svg += "<path d=\"M\(fy(xx)),\(fy(yy + 6)) l5,5 l-5,5 l-5,-5 z\" fill=\"\(e == nil ? "#fff" : colour)\" stroke=\"\(e == nil ? ReportStyle.neutral : "#222")\" stroke-width=\"1\"\(e == nil ? " stroke-dasharray=\"2 1.5\"" : "")/>"
            }
            svg += "</g>"
        }
        // The app's prompts: filled when answered, open when expired, a cross when missed.
        if let li = laneIndex[Self.promptsLane] {
            let yy = Double(A + li * H + H / 2)
            for (day, s) in sessions {
                let xx = x(day)
                var title = "\(s.prompted.text) \(s.kind.rawValue) questionnaire \"\(s.questionnaire)\": \(s.status.rawValue)"
                if let start = s.started?.instant, let prompt = s.prompted.instant { title += " after \((start.seconds - prompt.seconds) / 60) minutes" }
                let mark: String
                switch s.status.outcome {
                case .answered:
                    mark = "<rect x=\"\(fy(xx - 3))\" y=\"\(fy(yy - 3))\" width=\"6\" height=\"6\" fill=\"\(ReportStyle.help)\"/>"
                case .expired:
                    mark = "<rect x=\"\(fy(xx - 3))\" y=\"\(fy(yy - 3))\" width=\"6\" height=\"6\" fill=\"#fff\" stroke=\"\(ReportStyle.deadEnd)\" stroke-width=\"1.5\"/>"
                case .missed:
                    mark = "<path d=\"M\(fy(xx - 3)),\(fy(yy - 3)) l6,6 M\(fy(xx + 3)),\(fy(yy - 3)) l-6,6\" stroke=\"\(ReportStyle.refused)\" stroke-width=\"1.5\"/>"
                }
                svg += "<g data-session=\"\(s.status.rawValue)\"><title>\(HTML.escape(title))</title>\(mark)</g>"
            }
        }
        // Contacts on top.
        for logged in journey {
            guard case .contact(let c) = logged.event.payload else { continue }
            let chain = c.institution.map { directory.chain(of: $0) } ?? c.professional?.chain ?? "uncoded"
            var title = "\(logged.event.at.text) contact: \(c.institution.map(name) ?? "no organisation named")"
            if let professional = c.professional { title += ", \(professional.rawValue)" }
            if let role = c.role { title += ", \(role)" }
            if let mode = c.mode { title += ", \(mode.rawValue)" }
            if let forWhom = c.forWhom { title += ", for the \(forWhom.rawValue)" }
            title += " (source: \(logged.event.source.rawValue))"
            let cy = c.institution.map(y) ?? Double(A + (laneIndex[Self.unnamedLane] ?? 0) * H + H / 2)
            svg += "<circle data-contact=\"\(HTML.escape(c.institution ?? ""))\" cx=\"\(fx(logged.event.date.daysSinceEpoch))\" cy=\"\(fy(cy))\" r=\"5\" fill=\"\(ReportStyle.chain(chain))\" stroke=\"#fff\" stroke-width=\"1.2\"><title>\(HTML.escape(title))</title></circle>"
        }
        return svg + "</svg>"
    }

    /// The participant's episodes per institution (contract 4.4) as bars on a time axis, and
    /// how many were open at once at most.
    func episodeBars() -> String {
        let episodes = facts.episodes
        guard let lo = episodes.map(\.start.daysSinceEpoch).min(), let hi = episodes.map(\.end.daysSinceEpoch).max() else { return "" }
        let W = Self.width, L = Self.left, R = Self.right, row = 16, top = 24
        let d0 = lo - 5, d1 = max(hi + 5, lo + 30)
        func x(_ d: Int32) -> Double { Double(L) + Double(d - d0) / Double(d1 - d0) * Double(W - L - R) }
        let height = top + row * episodes.count + 8
        var svg = "<h3>Episodes (\(episodes.count); at most <span data-figure=\"maxConcurrent\" data-value=\"\(facts.maxConcurrent)\">\(facts.maxConcurrent)</span> at once)</h3>"
        svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(W) \(height)\" width=\"\(W)\" height=\"\(height)\" role=\"img\" aria-label=\"episodes\">"
        svg += "<text x=\"\(L)\" y=\"14\">\(CalendarDate(daysSinceEpoch: d0).description)</text><text x=\"\(W - R)\" y=\"14\" text-anchor=\"end\">\(CalendarDate(daysSinceEpoch: d1).description)</text>"
        for (i, e) in episodes.enumerated() {
            let y = top + i * row
            let chain = directory.chain(of: e.institution)
            svg += "<text x=\"\(L - 8)\" y=\"\(y + 11)\" text-anchor=\"end\">\(HTML.escape(name(e.institution)))\(e.number > 1 ? " (\(e.number))" : "")</text>"
            let x0 = x(e.start.daysSinceEpoch), x1 = max(x(e.end.daysSinceEpoch), x0 + 3)
            svg += "<rect data-episode=\"\(HTML.escape(e.institution))\" x=\"\(HTML.number(x0, decimals: 1))\" y=\"\(y + 2)\" width=\"\(HTML.number(x1 - x0, decimals: 1))\" height=\"11\" fill=\"\(ReportStyle.chain(chain))\"><title>\(HTML.escape("\(name(e.institution)): \(e.start) to \(e.end), \(e.dates) dates"))</title></rect>"
        }
        return svg + "</svg>"
    }

    private func legend() -> String {
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1240 58\" width=\"1240\" height=\"58\" role=\"img\" aria-label=\"legend\">"
        var x = 10
        func item(_ mark: String, _ label: String, _ w: Int, textAt: Int = 34) {
            svg += "<g transform=\"translate(\(x),0)\">\(mark)<text x=\"\(textAt)\" y=\"20\">\(HTML.escape(label))</text></g>"
            x += w
        }
        item("<circle cx=\"10\" cy=\"16\" r=\"5\" fill=\"\(ReportStyle.legal)\"/><circle cx=\"22\" cy=\"16\" r=\"5\" fill=\"\(ReportStyle.help)\"/><circle cx=\"34\" cy=\"16\" r=\"5\" fill=\"\(ReportStyle.both)\"/>", "contact (legal / help / both chains)", 290, textAt: 46)
        item("<path d=\"M0,16 H26\" stroke=\"\(ReportStyle.accepted)\" stroke-width=\"1.4\" marker-end=\"url(#arrow)\"/>", "referral", 100)
        item("<circle cx=\"6\" cy=\"16\" r=\"3\" fill=\"#fff\" stroke=\"\(ReportStyle.accepted)\"/><path d=\"M9,16 H26\" stroke=\"\(ReportStyle.accepted)\" stroke-width=\"1.4\" marker-end=\"url(#arrow)\"/>", "own or network's initiative", 220)
        item("<path d=\"M0,16 H24\" stroke=\"\(ReportStyle.refused)\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/><path d=\"M22,12 l8,8 M30,12 l-8,8\" stroke=\"\(ReportStyle.refused)\" stroke-width=\"2\"/>", "refused", 100)
        item("<path d=\"M0,16 H26\" stroke=\"\(ReportStyle.deadEnd)\" stroke-width=\"2\" stroke-dasharray=\"1.5 3\"/><path d=\"M27,10 V22\" stroke=\"\(ReportStyle.deadEnd)\" stroke-width=\"3\"/>", "dead end", 110)
        item("<path d=\"M0,16 H26\" stroke=\"\(ReportStyle.cycle)\" stroke-width=\"7\" stroke-opacity=\"0.35\"/><path d=\"M0,16 H26\" stroke=\"\(ReportStyle.cycle)\" stroke-width=\"2\"/>", "in a cycle (pillar to post)", 210)
        svg += "<g transform=\"translate(10,30)\">"
        svg += "<path d=\"M10,2 l5,9 h-10 z\" fill=\"\(ReportStyle.better)\" stroke=\"#222\"/><line x1=\"12\" y1=\"10\" x2=\"26\" y2=\"18\" stroke=\"\(ReportStyle.better)\" stroke-width=\"2\"/><path d=\"M28,13 l5,5 l-5,5 l-5,-5 z\" fill=\"\(ReportStyle.better)\" stroke=\"#222\"/>"
        svg += "<text x=\"42\" y=\"18\">expectation ▲ → experience ◆: better than expected</text>"
        svg += "<path d=\"M330,2 l5,9 h-10 z\" fill=\"\(ReportStyle.worse)\" stroke=\"#222\"/><line x1=\"332\" y1=\"10\" x2=\"346\" y2=\"18\" stroke=\"\(ReportStyle.worse)\" stroke-width=\"2\"/><path d=\"M348,13 l5,5 l-5,5 l-5,-5 z\" fill=\"\(ReportStyle.worse)\" stroke=\"#222\"/>"
        svg += "<text x=\"362\" y=\"18\">worse than expected</text>"
        svg += "<path d=\"M520,2 l5,9 h-10 z\" fill=\"\(ReportStyle.neutral)\" stroke=\"#222\"/><text x=\"534\" y=\"18\">about as expected</text>"
        svg += "<path d=\"M690,2 l5,9 h-10 z\" fill=\"#fff\" stroke=\"\(ReportStyle.neutral)\" stroke-dasharray=\"2 1.5\"/><path d=\"M712,13 l5,5 l-5,5 l-5,-5 z\" fill=\"#fff\" stroke=\"\(ReportStyle.neutral)\" stroke-dasharray=\"2 1.5\"/><text x=\"726\" y=\"18\">unpaired expectation / experience</text>"
        svg += "<rect x=\"960\" y=\"10\" width=\"6\" height=\"6\" fill=\"\(ReportStyle.help)\"/><rect x=\"972\" y=\"10\" width=\"6\" height=\"6\" fill=\"#fff\" stroke=\"\(ReportStyle.deadEnd)\" stroke-width=\"1.5\"/><path d=\"M984,10 l6,6 M990,10 l-6,6\" stroke=\"\(ReportStyle.refused)\" stroke-width=\"1.5\"/>"
        svg += "<text x=\"998\" y=\"18\">app prompt answered / expired / missed</text>"
        svg += "</g></svg>"
        return svg
    }

    // MARK: Tables

    private func referralTable() -> String {
        guard !audit.isEmpty else { return "<p class=\"note\">No referrals.</p>" }
        var t = "<table><tr><th>date</th><th>from</th><th>to</th><th>outcome</th><th>flags</th><th>chain depth</th></tr>"
        for a in audit {
            var marks = ""
            if a.refused { marks += "<span class=\"mark m-refused\">refused</span>" }
            if a.deadEnd { marks += "<span class=\"mark m-dead\">dead end</span>" }
            if a.inCycle { marks += "<span class=\"mark m-cycle\">cycle</span>" }
            t += "<tr><td>\(HTML.escape(a.logged.event.at.text))</td><td>\(HTML.escape(name(a.referral.from)))</td><td>\(HTML.escape(name(a.referral.to)))</td>"
            t += "<td>\(a.referral.outcome.rawValue)\(a.referral.reason.map { " - \"\(HTML.escape($0))\"" } ?? "")</td><td>\(marks)</td><td class=\"n\">\(a.chainDepth)</td></tr>"
        }
        return t + "</table>"
    }

    private func pairTable() -> String {
        guard !pairs.isEmpty else { return "<p class=\"note\">No expectations or experiences.</p>" }
        var t = "<table><tr><th>institution</th><th>status</th><th>planned for</th><th>contact on</th><th>day offset</th><th>items (expected → experienced)</th></tr>"
        for p in pairs {
            let items = p.items.map { "\($0.item) \($0.expected)→\($0.experienced)" }.joined(separator: ", ")
            t += "<tr><td>\(HTML.escape(name(p.institution)))</td><td>\(p.status.rawValue)</td><td>\(p.expectation?.data.plannedFor.description ?? "")</td>"
            t += "<td>\(p.experience?.data.contactOn.description ?? "")</td><td class=\"n\">\(p.dayOffset.map(String.init) ?? "")</td><td>\(HTML.escape(items))</td></tr>"
        }
        return t + "</table>"
    }

    private func timelineTable() -> String {
        var t = "<table><tr><th>at</th><th>seq</th><th>type</th><th>source</th><th>institution</th><th>detail</th></tr>"
        for logged in journey {
            let e = logged.event
            t += "<tr><td>\(HTML.escape(e.at.text))</td><td class=\"n\">\(logged.seq)</td><td>\(e.type.name)</td><td>\(e.source.rawValue)</td>"
            t += "<td>\(HTML.escape(e.institution.map(name) ?? ""))</td><td>\(HTML.escape(e.detail ?? ""))</td></tr>"
        }
        return t + "</table>"
    }
}
