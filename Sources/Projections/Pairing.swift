import JourneyModel

/// One row of the expectation-experience pairing (contract 2.2).
public struct Pair: Sendable {
    /// `paired`, `expectation-only` or `experience-only`.
    public enum Status: String, Sendable { case paired, expectationOnly = "expectation-only", experienceOnly = "experience-only" }

    public let participant: String
    public let institution: String
    public let status: Status
    public let expectation: (seq: UInt64, id: String, data: Expectation)?
    public let experience: (seq: UInt64, id: String, data: Experience)?

    /// contactOn - plannedFor in days, for a pair.
    public var dayOffset: Int? {
        guard let e = expectation, let x = experience else { return nil }
        return e.data.plannedFor.days(to: x.data.contactOn)
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

    /// The date the row sorts by: the expectation's plannedFor, else the experience's contactOn.
    var sortDate: CalendarDate { expectation?.data.plannedFor ?? experience?.data.contactOn ?? CalendarDate(daysSinceEpoch: 0) }
    var sortSeq: UInt64 { expectation?.seq ?? experience?.seq ?? 0 }
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
        var expectations: [String: [(seq: UInt64, id: String, data: Expectation)]] = [:]
        var experiences: [String: [(seq: UInt64, id: String, data: Experience)]] = [:]
        for logged in journey {
            switch logged.event.payload {
            case .expectation(let e): expectations[e.institution, default: []].append((logged.seq, logged.event.id, e))
            case .experience(let x): experiences[x.institution, default: []].append((logged.seq, logged.event.id, x))
            default: break
            }
        }
        var rows: [Pair] = []
        for institution in Set(expectations.keys).union(experiences.keys) {
            let es = expectations[institution] ?? []
            let xs = experiences[institution] ?? []
            var candidates: [(offset: Int, e: Int, x: Int)] = []
            for (i, e) in es.enumerated() {
                for (j, x) in xs.enumerated() {
                    let offset = e.data.plannedFor.days(to: x.data.contactOn)
                    if abs(offset) <= windowDays { candidates.append((offset, i, j)) }
                }
            }
            candidates.sort { a, b in
                if abs(a.offset) != abs(b.offset) { return abs(a.offset) < abs(b.offset) }
                let ea = es[a.e], eb = es[b.e]
                if ea.data.plannedFor != eb.data.plannedFor { return ea.data.plannedFor < eb.data.plannedFor }
                if ea.seq != eb.seq { return ea.seq < eb.seq }
                return xs[a.x].seq < xs[b.x].seq
            }
            var takenE = Set<Int>(), takenX = Set<Int>()
            for c in candidates where !takenE.contains(c.e) && !takenX.contains(c.x) {
                takenE.insert(c.e)
                takenX.insert(c.x)
                rows.append(Pair(participant: participant, institution: institution, status: .paired, expectation: es[c.e], experience: xs[c.x]))
            }
            for (i, e) in es.enumerated() where !takenE.contains(i) {
                rows.append(Pair(participant: participant, institution: institution, status: .expectationOnly, expectation: e, experience: nil))
            }
            for (j, x) in xs.enumerated() where !takenX.contains(j) {
                rows.append(Pair(participant: participant, institution: institution, status: .experienceOnly, expectation: nil, experience: x))
            }
        }
        return rows.sorted { a, b in
            if a.institution != b.institution { return a.institution.utf8.lexicographicallyPrecedes(b.institution.utf8) }
            if a.sortDate != b.sortDate { return a.sortDate < b.sortDate }
            return a.sortSeq < b.sortSeq
        }
    }
}
