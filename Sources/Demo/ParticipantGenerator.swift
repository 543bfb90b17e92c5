import JourneyModel

/// One synthetic participant's journey, as the lines the team would have entered, in the order
/// they learned the facts (intake interview, weekly questionnaires, closing interview).
struct ParticipantGenerator {
    let cohort: DemoCohort
    let id: String
    let index: Int
    var rng: SeededRandom
    /// A second stream for the app's prompts, so adding them leaves the journey itself unchanged.
    var prompts: SeededRandom

    /// A fact and when the team learned it (the day, then the order of generation).
    private struct Fact {
        let learned: Int32
        let order: Int
        let line: String
    }
    private var facts: [Fact] = []
    /// Prompt times already used ("day minute"), so no two prompts share one.
    private var promptTimes: Set<String> = []
    private var counter = 0

    static let items = ["listened", "took-seriously", "clear-information", "practical-help", "felt-safe", "knew-next-steps"]
    static let needs = ["safety", "information", "someone to listen", "legal advice", "help for the children", "a place to stay", "recognition"]

    init(cohort: DemoCohort, index: Int) {
        self.cohort = cohort
        self.index = index
        id = cohort.pseudonym(index)
        rng = SeededRandom(seed: cohort.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index) &* 0xD1B5_4A32_D192_ED03 &+ 1)
        prompts = SeededRandom(seed: (cohort.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index) &* 0xD1B5_4A32_D192_ED03) ^ 0x5E55_1017)
    }

    // MARK: Dates

    private func date(_ d: Int32) -> String { CalendarDate(daysSinceEpoch: d).description }

    /// The Sunday on or after `d` (questionnaires arrive on Sunday morning).
    private func sunday(onOrAfter d: Int32) -> Int32 { d + (7 - (d + 4) % 7) % 7 }

    // MARK: Lines

    /// Keeps a fact the team learned on day `learned`; every fact says when it was recorded
    /// (at nine on that day unless the line says when already).
    private mutating func emit(_ line: JSONLine, learned: Int32, recorded: Bool = false) {
        var line = line
        if !recorded { line.add("recorded", date(learned) + "T09:00:00+01:00") }
        facts.append(Fact(learned: learned, order: facts.count, line: line.line))
    }

    /// True for about `share` of the participants, spread evenly over them (a low-discrepancy
    /// sequence, so the study's involvement figures come out as published, not as luck gives them).
    /// True for exactly `share` of `n` positions (rounded), spread over them in an order that
    /// differs with `salt`: the study's involvement figures come out as published, not as luck
    /// gives them.
    static func chosen(_ position: Int, of n: Int, share: Double, salt: Int) -> Bool {
        guard n > 0 else { return false }
        // A stride coprime to n permutes the positions; the share is laid over them evenly.
        var stride = [7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47][salt % 12]
        while gcd(stride, n) != 1 { stride += 1 }
        let p = (position % n * stride + salt * 5) % n
        return (Double(p + 1) * share + 0.5).rounded(.down) > (Double(p) * share + 0.5).rounded(.down)
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// Whether participant `i` has children with the (ex-)partner (24 of the study's 29).
    private static func hasChildren(_ i: Int, of participants: Int) -> Bool { chosen(i, of: participants, share: 24.0 / 29, salt: 0) }

    /// True for the first participant with children who meets SHN: its help concerned her child.
    private var helpForChild: Bool {
        let kinds = cohort.catalogue.kinds, n = cohort.participants
        guard let k = kinds.firstIndex(where: { $0.key == "shn" }) else { return false }
        let first = (0..<min(n, 1000)).first { Self.hasChildren($0, of: n) && Self.chosen($0, of: n, share: kinds[k].involvement, salt: k + 1) }
        return first == index
    }

    /// Ages of the study's 29 (30-62, mean 40); larger cohorts repeat them.
    static let ages = [30, 31, 32, 33, 33, 34, 35, 35, 36, 36, 37, 37, 38, 38, 39, 39, 40, 40, 41, 41, 42, 43, 44, 45, 46, 49, 50, 54, 62]

    private mutating func envelope(_ kind: String, _ type: String, at: String, source: String) -> (JSONLine, String) {
        counter += 1
        let eventID = "\(id)-\(kind)\(counter)"
        return (JSONLine.event(id: eventID, type: type, participant: id, at: at, source: source), eventID)
    }

    // MARK: The journey

    mutating func lines() -> [String] {
        let start = DemoCohort.studyStart.daysSinceEpoch, end = DemoCohort.studyEnd.daysSinceEpoch
        let intake = start + Int32(rng.below(300))
        let pastStart = intake - Int32(rng.int(90...720))
        let usesApp = rng.chance(24.0 / 29)
        let appWeeks = usesApp ? rng.int(8...52) : 0
        let appEnd = min(end, intake + Int32(appWeeks * 7))
        let closing = rng.chance(17.0 / 29)
        let journeyEnd = min(end, max(appEnd, intake + Int32(rng.int(60...400))))
        let hasChildren = Self.hasChildren(index, of: cohort.participants)
        // Her place among the participants with children, for the kinds that concern them.
        let n = cohort.participants
        let childRank = n <= 1000 ? (0..<index).filter { Self.hasChildren($0, of: n) }.count : index * 24 / 29
        let children = n <= 1000 ? (0..<n).filter { Self.hasChildren($0, of: n) }.count : n * 24 / 29
        let breadth = min(5.0, max(0.05, 0.26 * expApprox(rng.normal(sd: 1.0))))

        enrol(intake: intake, hasChildren: hasChildren)
        describe(intake: intake)

        // Which organisations she meets, in the order a journey typically reaches them.
        var met: [(id: String, kind: DemoCatalogue.Kind)] = []
        for (k, kind) in cohort.catalogue.kinds.enumerated() {
            let p = kind.scaled ? min(0.95, kind.involvement * breadth) : kind.involvement
            let forChildren = ["school", "rvdk", "guardian", "child-therapy"].contains(kind.key)
            if forChildren && !hasChildren { continue }
            // The study's figures spread evenly; the rest by the participant's breadth.
            let picked = forChildren ? Self.chosen(childRank, of: children, share: p * 29 / 24, salt: k + 1)
                : Self.chosen(index, of: n, share: p, salt: k + 1)
            guard kind.scaled ? rng.chance(p) : picked else { continue }
            var instances = 1
            if kind.key == "ggz" { instances += (rng.chance(0.45 * breadth) ? 1 : 0) + (rng.chance(0.2 * breadth) ? 1 : 0) }
            if ["victim-help", "youth-care", "social-work", "coach", "wijkteam", "social-services", "school", "alternative"].contains(kind.key), rng.chance(0.25 * breadth) { instances += 1 + (rng.chance(0.1 * breadth) ? 1 : 0) }
            var chosen: Set<Int> = []
            for n in 0..<instances {
                // Participants in turn meet each organisation of a kind, so a small cohort still
                // names most of them (as the study's 29 named 128).
                let i = (index + n * (kind.names.count / 2 + 1) + rng.below(2)) % kind.names.count
                if chosen.insert(i).inserted { met.append((kind.id(i), kind)) }
            }
        }
        while met.count < 4 {
            let kind = rng.pick(cohort.catalogue.kinds.filter { $0.scaled })
            let candidate = kind.id(rng.below(kind.names.count))
            if !met.contains(where: { $0.id == candidate }) { met.append((candidate, kind)) }
        }
        let order = met.map { ($0, $0.kind.stage + rng.normal(sd: 1.3)) }.sorted { $0.1 < $1.1 }.map(\.0)

        // First contacts spread over the journey, in that order.
        let span = Int(journeyEnd - pastStart)
        var firsts = (0..<order.count).map { _ in pastStart + Int32(rng.below(max(1, span - 20))) }
        firsts.sort()
        var contactDays: [String: [Int32]] = [:]
        for (k, inst) in order.enumerated() {
            let first = firsts[k]
            // How she got there: referred by an earlier organisation, or on her own or her network's initiative.
            var from = k > 0 && rng.chance(0.7) ? order[rng.below(k)].id : (rng.chance(0.6) ? "self" : "network")
            if inst.kind.key == "shelter" {
                from = order.first { $0.kind.key == "veilig-thuis" || $0.kind.key == "police" }?.id ?? "self"
                let placed = rng.chance(1.0 / 7)
                let refusal = rng.chance(0.5) ? ("no-capacity", "no place") : ("refused", "threat not high enough")
                referral(from: from, to: inst.id, on: first - Int32(rng.int(1...5)), outcome: placed ? "accepted" : refusal.0,
                         reason: placed ? "acute danger" : refusal.1, intake: intake, appEnd: appEnd, usesApp: usesApp, closing: closing, journeyEnd: journeyEnd)
                if !placed { continue }
            } else if from != "self" || rng.chance(0.5) {
                referral(from: from, to: inst.id, on: first - Int32(rng.int(1...10)), outcome: rng.chance(0.92) ? "accepted" : "unknown",
                         reason: nil, intake: intake, appEnd: appEnd, usesApp: usesApp, closing: closing, journeyEnd: journeyEnd)
            }
            var day = first
            let visits = 1 + rng.below(inst.kind.key == "ggz" || inst.kind.key == "family-lawyer" ? 5 : 3)
            for _ in 0..<visits where day <= journeyEnd {
                contactDays[inst.id, default: []].append(day)
                contact(inst, on: day, cameVia: from, intake: intake, appEnd: appEnd, usesApp: usesApp, closing: closing, journeyEnd: journeyEnd)
                day += Int32(rng.int(5...45))
            }
        }

        if usesApp { weeklyPrompts(from: intake, to: appEnd, contactDays: contactDays.values.flatMap { $0 }) }

        // Now and then a professional whose organisation she did not name.
        if rng.chance(0.35) {
            for _ in 0..<rng.int(1...2) {
                unnamedContact(on: pastStart + Int32(rng.below(max(1, span))), intake: intake, appEnd: appEnd, usesApp: usesApp, closing: closing,
                               journeyEnd: journeyEnd)
            }
        }

        let helpers = order.filter { !$0.kind.categories.allSatisfy { $0.hasPrefix("legal") } }
        // "Not our task": a help organisation sends her elsewhere.
        if helpers.count >= 2, rng.chance(min(0.9, 0.35 * breadth)) {
            let a = rng.pick(helpers), b = rng.pick(helpers)
            if a.id != b.id {
                referral(from: a.id, to: b.id, on: firsts[0] + Int32(rng.below(max(1, span))), outcome: "not-eligible", reason: "not our task",
                         intake: intake, appEnd: appEnd, usesApp: usesApp, closing: closing, journeyEnd: journeyEnd)
            }
        }
        // A dead end: referred, accepted, and nothing happened.
        if rng.chance(0.3) {
            let kinds = cohort.catalogue.kinds.filter { $0.scaled }
            let kind = rng.pick(kinds)
            let target = kind.id(rng.below(kind.names.count))
            if contactDays[target] == nil, let source = order.last?.id {
                referral(from: source, to: target, on: pastStart + Int32(rng.below(max(1, span - 40))), outcome: rng.chance(0.5) ? "accepted" : "pending",
                         reason: nil, intake: intake, appEnd: appEnd, usesApp: usesApp, closing: closing, journeyEnd: journeyEnd)
            }
        }
        // From pillar to post: round in a circle, or back and forth.
        if helpers.count >= 3, rng.chance(0.2) {
            var ring: [String] = []
            while ring.count < 3 {
                let h = rng.pick(helpers).id
                if !ring.contains(h) { ring.append(h) }
            }
            var day = pastStart + Int32(rng.below(max(1, span - 60)))
            let outcomes = ["not-eligible", "refused", "accepted"]
            for (n, a) in ring.enumerated() {
                referral(from: a, to: ring[(n + 1) % 3], on: day, outcome: outcomes[n], reason: n == 0 ? "not our task" : nil,
                         intake: intake, appEnd: appEnd, usesApp: usesApp, closing: closing, journeyEnd: journeyEnd)
                day += Int32(rng.int(4...20))
            }
        } else if helpers.count >= 2, rng.chance(0.1) {
            let a = helpers[0].id, b = helpers[1].id
            let day = pastStart + Int32(rng.below(max(1, span - 30)))
            referral(from: a, to: b, on: day, outcome: "not-eligible", reason: "not our task", intake: intake, appEnd: appEnd, usesApp: usesApp, closing: closing, journeyEnd: journeyEnd)
            referral(from: b, to: a, on: day + 9, outcome: "refused", reason: "belongs with the other", intake: intake, appEnd: appEnd, usesApp: usesApp, closing: closing, journeyEnd: journeyEnd)
        }
        // A contact entered twice, the copy retracted.
        if rng.chance(0.12), let inst = order.first, let day = contactDays[inst.id]?.first {
            let (copy, copyID) = contactLine(inst, on: day, source: "manual")
            let learned = max(intake, day) + 2
            emit(copy, learned: learned)
            retract(copyID, reason: "entered twice", learned: learned + 5)
        }

        exit(closing: closing, journeyEnd: journeyEnd, appEnd: appEnd, usesApp: usesApp)
        facts.sort { ($0.learned, $0.order) < ($1.learned, $1.order) }
        return facts.map(\.line)
    }

    /// Where a fact about day `day` came from, and when the team learned it.
    private mutating func provenance(_ day: Int32, intake: Int32, appEnd: Int32, usesApp: Bool, closing: Bool, journeyEnd: Int32) -> (String, Int32) {
        if day <= intake { return ("intake-interview", intake) }
        if usesApp, day <= appEnd { return ("esm", sunday(onOrAfter: day + 1)) }
        if closing { return ("closing-interview", journeyEnd + 7) }
        return ("case-file", day + Int32(rng.int(7...60)))
    }

    private mutating func enrol(intake: Int32, hasChildren: Bool) {
        var (line, _) = envelope("enrol", "participant.enrolled", at: date(intake), source: "intake-interview")
        var data = JSONLine()
        data.add("ageBand", rng.pick(["30-39", "30-39", "40-49", "40-49", "50-62"]))
        data.add("childrenWithExPartner", hasChildren)
        // All psychological; 27 of the study's 29 also physical, 11 of them also economic.
        var abuse = ["psychological"]
        let n = cohort.participants
        func physical(_ i: Int) -> Bool { Self.chosen(i, of: n, share: 27.0 / 29, salt: 40) }
        if physical(index) { abuse.append("physical") }
        if rng.chance(0.3) { abuse.append("sexual") }
        if physical(index) {
            let rank = n <= 1000 ? (0..<index).filter(physical).count : index * 27 / 29
            let physicals = n <= 1000 ? (0..<n).filter(physical).count : n * 27 / 29
            if Self.chosen(rank, of: physicals, share: 11.0 / 27, salt: 41) { abuse.append("economic") }
        }
        if rng.chance(0.4) { abuse.append("stalking") }
        if rng.chance(0.25) { abuse.append("online") }
        data.add("abuse", abuse)
        line.add("data", object: data)
        emit(line, learned: intake)
    }

    /// The participant's covariates (the study's sample description), at intake.
    private mutating func describe(intake: Int32) {
        var (line, _) = envelope("describe", "participant.described", at: date(intake), source: "intake-interview")
        var covariates = JSONLine()
        covariates.add("age", Self.ages[index % Self.ages.count] + (index >= Self.ages.count ? rng.int(-2...2) : 0))
        covariates.add("education", rng.pick(["primary", "secondary", "secondary", "vocational", "vocational", "higher", "higher"]))
        covariates.add("migration", rng.pick(["none", "none", "none", "none", "western", "non-western", "non-western"]))
        covariates.add("employed", rng.chance(0.6))
        var data = JSONLine()
        data.add("covariates", object: covariates)
        line.add("data", object: data)
        emit(line, learned: intake)
    }

    private mutating func referral(
        from: String, to: String, on day: Int32, outcome: String, reason: String?,
        intake: Int32, appEnd: Int32, usesApp: Bool, closing: Bool, journeyEnd: Int32
    ) {
        let (source, learned) = provenance(day, intake: intake, appEnd: appEnd, usesApp: usesApp, closing: closing, journeyEnd: journeyEnd)
        var (line, _) = envelope("r", "referral", at: date(day), source: source)
        var data = JSONLine()
        data.add("from", from)
        data.add("to", to)
        data.add("outcome", outcome)
        data.add("reason", reason)
        line.add("data", object: data)
        emit(line, learned: learned)
    }

    private mutating func contactLine(_ inst: (id: String, kind: DemoCatalogue.Kind), on day: Int32, source: String) -> (JSONLine, String) {
        var (line, eventID) = envelope("c", "contact", at: date(day), source: source)
        var data = JSONLine()
        data.add("institution", inst.id)
        var professional = inst.kind.professionals.isEmpty ? nil : rng.pick(inst.kind.professionals)
        if inst.kind.key == "ggz" {
            let role = rng.pick(["practice nurse", "psychologist", "psychotherapist", "psychiatrist"])
            data.add("role", role)
            professional = role == "practice nurse" ? "practice-nurse" : role
        }
        if inst.kind.key == "police" { data.add("reason", rng.pick(["report", "statement", "safety check", "information"])) }
        data.add("mode", rng.pick(["in-person", "in-person", "in-person", "phone", "video"]))
        data.add("professional", professional)
        // SHN's help concerned her child for one participant (the study's own example).
        let forWhom = inst.kind.key == "shn" && helpForChild ? "child" : inst.kind.forWhom
        data.add("for", forWhom)
        line.add("data", object: data)
        return (line, eventID)
    }

    /// A contact with a professional whose organisation she did not name ("my psychologist").
    private mutating func unnamedContact(on day: Int32, intake: Int32, appEnd: Int32, usesApp: Bool, closing: Bool, journeyEnd: Int32) {
        let (source, learned) = provenance(day, intake: intake, appEnd: appEnd, usesApp: usesApp, closing: closing, journeyEnd: journeyEnd)
        var (line, _) = envelope("c", "contact", at: date(day), source: source)
        var data = JSONLine()
        data.add("professional", rng.pick(["psychologist", "coach", "lawyer", "social-worker", "mediator", "pastor", "police-officer"]))
        data.add("mode", rng.pick(["in-person", "phone"]))
        line.add("data", object: data)
        emit(line, learned: learned)
    }

    /// A contact, and in the app period the expectation before it and the experience after it.
    private mutating func contact(
        _ inst: (id: String, kind: DemoCatalogue.Kind), on day: Int32, cameVia: String,
        intake: Int32, appEnd: Int32, usesApp: Bool, closing: Bool, journeyEnd: Int32
    ) {
        let (source, learned) = provenance(day, intake: intake, appEnd: appEnd, usesApp: usesApp, closing: closing, journeyEnd: journeyEnd)
        let (line, _) = contactLine(inst, on: day, source: source)
        emit(line, learned: learned)
        guard source == "esm" else { return }

        var pool = Self.items
        for i in stride(from: pool.count - 1, to: 0, by: -1) { pool.swapAt(i, rng.below(i + 1)) }
        let items = Array(pool.prefix(rng.int(3...5)))
        var expected: [(String, Int)] = []
        if rng.chance(0.7) {
            // Prospective questionnaire, the Sunday before: mostly the right date, sometimes far off.
            let asked = max(intake, sunday(onOrAfter: day - 7))
            let drift = rng.chance(0.8) ? 0 : (rng.chance(0.5) ? Int32(rng.int(-3...3)) : Int32(rng.int(9...14)))
            var (e, _) = envelope("e", "expectation", at: date(asked), source: "esm")
            e.add("recorded", date(asked) + "T07:\(String(rng.below(60)).leftPadded(2)):\(String(rng.below(60)).leftPadded(2))Z")
            var data = JSONLine()
            data.add("institution", inst.id)
            data.add("plannedFor", date(day + drift))
            data.add("cameVia", cameVia)
            data.add("needs", Array(Set((0..<rng.int(1...2)).map { _ in rng.pick(Self.needs) })).sorted())
            data.add("expectedFulfilment", rng.int(1...5))
            expected = items.dropLast(rng.chance(0.3) ? 1 : 0).map { ($0, rng.int(2...5)) }
            data.add("statements", scores: expected)
            e.add("data", object: data)
            emit(e, learned: asked, recorded: true)
            session("prospective", "Voor het contact", on: asked, minute: 50, status: "completed")
        }
        if rng.chance(0.85) {
            // Retrospective questionnaire, the Sunday after.
            let asked = sunday(onOrAfter: day + 1)
            var (x, _) = envelope("x", "experience", at: date(asked), source: "esm")
            x.add("recorded", date(asked) + "T08:\(String(rng.below(60)).leftPadded(2)):\(String(rng.below(60)).leftPadded(2))Z")
            var data = JSONLine()
            data.add("institution", inst.id)
            data.add("contactOn", date(day))
            if rng.chance(0.3) { data.add("summary", rng.pick(["felt heard", "had to tell my story again", "long wait", "clear about next steps", "they sent me elsewhere"])) }
            let legal = inst.kind.categories.allSatisfy { $0.hasPrefix("legal") }
            let bias = legal ? -1.1 : 0.1
            let scores: [(String, Int)] = items.dropFirst(rng.chance(0.2) ? 1 : 0).map { item in
                let base = Double(expected.first { $0.0 == item }?.1 ?? 3)
                return (item, min(5, max(0, Int((base + bias + rng.normal(sd: 1.2)).rounded()))))
            }
            data.add("statements", scores: scores)
            x.add("data", object: data)
            emit(x, learned: asked, recorded: true)
            session("retrospective", "Na het contact", on: asked, minute: 50, status: "completed")
        }
    }

    /// The weekly basic questionnaire, every Sunday morning of the app period: mostly answered,
    /// some expired or left unanswered; an answer says whether she had a contact with an
    /// organisation in the past seven days and expects one in the next seven - mostly as her
    /// contacts were, now and then not.
    private mutating func weeklyPrompts(from intake: Int32, to appEnd: Int32, contactDays: [Int32]) {
        var day = sunday(onOrAfter: intake + 1)
        while day <= appEnd {
            let roll = prompts.unit()
            let status = roll < 0.8 ? "completed" : roll < 0.92 ? "expired" : "unanswered"
            let before = contactDays.contains { $0 >= day - 7 && $0 < day }, after = contactDays.contains { $0 >= day && $0 < day + 7 }
            let answers = status == "completed" ? (prompts.chance(0.9) ? before : !before, prompts.chance(0.8) ? after : !after) : nil
            session("basic", "Wekelijkse vragenlijst", on: day, minute: 30, status: status, basic: answers)
            day += 7
        }
    }

    /// One prompt of the app (`esm.session`) at 08:mm UTC on `day`; a second prompt of the same
    /// questionnaire that morning (about a second contact) comes five minutes later.
    private mutating func session(_ kind: String, _ questionnaire: String, on day: Int32, minute first: Int, status: String,
                                  basic: (lastWeek: Bool, nextWeek: Bool)? = nil) {
        var minute = first
        while !promptTimes.insert("\(day) \(minute)").inserted { minute += 5 }
        func clock(_ minutes: Int) -> String { String(minutes / 60).leftPadded(2) + ":" + String(minutes % 60).leftPadded(2) + ":00Z" }
        let prompted = date(day) + "T" + clock(8 * 60 + minute)
        var (line, _) = envelope("s", "esm.session", at: prompted, source: "esm")
        var data = JSONLine()
        data.add("questionnaire", questionnaire)
        data.add("kind", kind)
        data.add("status", status)
        data.add("prompted", prompted)
        data.add("expires", date(day) + "T" + clock(20 * 60 + minute))
        line.add("recorded", prompted)
        if status == "completed" {
            // Minutes to start: mostly within two hours, now and then much later.
            let latency = prompts.chance(0.85) ? prompts.int(2...120) : prompts.int(121...600)
            data.add("started", date(day) + "T" + clock(8 * 60 + minute + latency))
        }
        if let basic {
            data.add("contactLastWeek", basic.lastWeek)
            data.add("contactNextWeek", basic.nextWeek)
        }
        line.add("data", object: data)
        emit(line, learned: day, recorded: true)
    }

    private mutating func retract(_ target: String, reason: String, learned: Int32) {
        var (line, _) = envelope("retract", "event.retracted", at: date(learned), source: "manual")
        var data = JSONLine()
        data.add("event", target)
        data.add("reason", reason)
        line.add("data", object: data)
        emit(line, learned: learned)
    }

    private mutating func exit(closing: Bool, journeyEnd: Int32, appEnd: Int32, usesApp: Bool) {
        let reason: String, day: Int32, source: String
        if closing {
            reason = journeyEnd >= DemoCohort.studyEnd.daysSinceEpoch - 7 ? "study-ended" : "journey-ended"
            day = journeyEnd
            source = "closing-interview"
        } else if rng.chance(0.06) {
            reason = "withdrew"
            day = journeyEnd
            source = "manual"
        } else if rng.chance(0.5) {
            reason = "lost"
            day = journeyEnd
            source = "manual"
        } else {
            return
        }
        var (line, _) = envelope("exit", "participant.exited", at: date(day), source: source)
        var data = JSONLine()
        data.add("reason", reason)
        line.add("data", object: data)
        emit(line, learned: day + 7)
    }
}

/// e^x for the small range the generator needs, without Foundation.
func expApprox(_ x: Double) -> Double {
    var term = 1.0, sum = 1.0
    for k in 1..<30 {
        term *= x / Double(k)
        sum += term
    }
    return sum
}
