import JourneyModel

/// One row of the expectation-experience pairing (contract 2.2).
public struct Pair: Sendable {
    /// `paired`, `expectation-only` or `experience-only`.
    public enum Status: String, Sendable { case paired, expectationOnly = "expectation-only", experienceOnly = "experience-only" }

    public let participant: String
    public let institution: String
    public let status: Status
    /// The row's expectation and experience events (shared with the journey, not copied).
    let expectationEvent: LoggedEvent?
    let experienceEvent: LoggedEvent?
    /// contactOn - plannedFor in days, for a pair.
    public let dayOffset: Int?
    /// The day the row sorts by: the expectation's plannedFor, else the experience's contactOn.
    let sortDay: Int32
    /// The seq the row sorts by within a day: the expectation's, else the experience's.
    let sortSeq: UInt64

    /// The expectation: its seq, id and data.
    public var expectation: (seq: UInt64, id: String, data: Expectation)? {
        guard let l = expectationEvent, case .expectation(let e) = l.event.payload else { return nil }
        return (l.seq, l.event.id, e)
    }

    /// The experience: its seq, id and data.
    public var experience: (seq: UInt64, id: String, data: Experience)? {
        guard let l = experienceEvent, case .experience(let x) = l.event.payload else { return nil }
        return (l.seq, l.event.id, x)
    }

    /// Per statement item present on both sides: expected, experienced and their difference,
    /// by item.
    public var items: [PairItem] {
        guard let e = expectation, let x = experience else { return [] }
        var out: [PairItem] = []
        for s in e.data.statements {
            if let y = x.data.statements.first(where: { $0.item == s.item }) {
                out.append(PairItem(item: s.item, expected: s.score, experienced: y.score))
            }
        }
        return out.sorted { $0.item.utf8.lexicographicallyPrecedes($1.item.utf8) }
    }
}

/// One statement item of a pair.
public struct PairItem: Sendable, Hashable {
    public let item: String
    public let expected: Int
    public let experienced: Int
    /// experienced - expected.
    public var delta: Int { experienced - expected }
}

/// Expectation-experience pairing (contract 2.2).
public enum Pairing {
    /// Pairs one participant's expectations and experiences per institution: candidates within
    /// `windowDays`, taken greedily by (|day offset|, plannedFor, expectation seq, experience
    /// seq); the rest unpaired. Rows by institution, then date, then seq.
    public static func pairs(participant: String, journey: [LoggedEvent], windowDays: Int) -> [Pair] {
        // One entry per expectation or experience: its institution (as a number), event and day,
        // gathered in one pass.
        var institutions = StringNumbering()
        var es: [Side] = [], xs: [Side] = []
        for logged in journey {
            switch logged.event.payload {
            case .expectation(let e):
                es.append(Side(institution: institutions.number(e.institution), logged: logged, day: e.plannedFor.daysSinceEpoch))
            case .experience(let x):
                xs.append(Side(institution: institutions.number(x.institution), logged: logged, day: x.contactOn.daysSinceEpoch))
            default: break
            }
        }
        guard !es.isEmpty || !xs.isEmpty else { return [] }
        // Grouped by institution in byte order: a sort of small integers.
        let rank = institutions.ranks()
        let byInstitution = { (a: Side, b: Side) in
            rank[a.institution] != rank[b.institution] ? rank[a.institution] < rank[b.institution] : a.logged.seq < b.logged.seq
        }
        es.sort(by: byInstitution)
        xs.sort(by: byInstitution)

        var rows: [Pair] = []
        rows.reserveCapacity(max(es.count, xs.count))
        var group: [Pair] = []
        var takenE = [Bool](repeating: false, count: es.count), takenX = [Bool](repeating: false, count: xs.count)
        var candidates: [(distance: Int, planned: Int32, eSeq: UInt64, xSeq: UInt64, e: Int, x: Int)] = []
        var i = 0, j = 0
        // Institutions in byte order, each one's rows sorted on their own: no sort of all rows.
        while i < es.count || j < xs.count {
            let next = j == xs.count || (i < es.count && rank[es[i].institution] <= rank[xs[j].institution]) ? es[i].institution : xs[j].institution
            let institution = institutions.name(next)
            var iEnd = i, jEnd = j
            while iEnd < es.count && es[iEnd].institution == next { iEnd += 1 }
            while jEnd < xs.count && xs[jEnd].institution == next { jEnd += 1 }
            // Each candidate carries its sort key, so sorting touches no event.
            candidates.removeAll(keepingCapacity: true)
            for e in i..<iEnd {
                for x in j..<jEnd {
                    let offset = Int(xs[x].day) - Int(es[e].day)
                    if abs(offset) <= windowDays {
                        candidates.append((abs(offset), es[e].day, es[e].logged.seq, xs[x].logged.seq, e, x))
                    }
                }
            }
            candidates.sort { a, b in
                if a.distance != b.distance { return a.distance < b.distance }
                if a.planned != b.planned { return a.planned < b.planned }
                if a.eSeq != b.eSeq { return a.eSeq < b.eSeq }
                return a.xSeq < b.xSeq
            }
            group.removeAll(keepingCapacity: true)
            for c in candidates where !takenE[c.e] && !takenX[c.x] {
                takenE[c.e] = true
                takenX[c.x] = true
                let e = es[c.e], x = xs[c.x]
                group.append(Pair(participant: participant, institution: institution, status: .paired,
                                  expectationEvent: e.logged, experienceEvent: x.logged, dayOffset: Int(x.day) - Int(e.day),
                                  sortDay: e.day, sortSeq: e.logged.seq))
            }
            for e in i..<iEnd where !takenE[e] {
                group.append(Pair(participant: participant, institution: institution, status: .expectationOnly,
                                  expectationEvent: es[e].logged, experienceEvent: nil, dayOffset: nil,
                                  sortDay: es[e].day, sortSeq: es[e].logged.seq))
            }
            for x in j..<jEnd where !takenX[x] {
                group.append(Pair(participant: participant, institution: institution, status: .experienceOnly,
                                  expectationEvent: nil, experienceEvent: xs[x].logged, dayOffset: nil,
                                  sortDay: xs[x].day, sortSeq: xs[x].logged.seq))
            }
            group.sort { a, b in a.sortDay != b.sortDay ? a.sortDay < b.sortDay : a.sortSeq < b.sortSeq }
            rows.append(contentsOf: group)
            i = iEnd
            j = jEnd
        }
        return rows
    }

    /// An expectation or experience being paired.
    private struct Side {
        /// The institution's number in `StringNumbering`.
        let institution: Int
        let logged: LoggedEvent
        /// plannedFor or contactOn.
        let day: Int32
    }
}
