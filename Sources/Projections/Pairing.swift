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
        // Institutions in order, and each one's rows sorted on their own: no sort of all rows.
        let institutions = Set(expectations.keys).union(experiences.keys).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for institution in institutions {
            let first = rows.count
            let es = expectations[institution] ?? []
            let xs = experiences[institution] ?? []
            // Each candidate carries its sort key, so sorting touches no event.
            var candidates: [(distance: Int, planned: Int32, eSeq: UInt64, xSeq: UInt64, e: Int, x: Int)] = []
            for (i, e) in es.enumerated() {
                for (j, x) in xs.enumerated() {
                    let offset = e.data.plannedFor.days(to: x.data.contactOn)
                    if abs(offset) <= windowDays {
                        candidates.append((abs(offset), e.data.plannedFor.daysSinceEpoch, e.seq, x.seq, i, j))
                    }
                }
            }
            candidates.sort { a, b in
                if a.distance != b.distance { return a.distance < b.distance }
                if a.planned != b.planned { return a.planned < b.planned }
                if a.eSeq != b.eSeq { return a.eSeq < b.eSeq }
                return a.xSeq < b.xSeq
            }
            var takenE = [Bool](repeating: false, count: es.count), takenX = [Bool](repeating: false, count: xs.count)
            for c in candidates where !takenE[c.e] && !takenX[c.x] {
                takenE[c.e] = true
                takenX[c.x] = true
                rows.append(Pair(participant: participant, institution: institution, status: .paired, expectation: es[c.e], experience: xs[c.x]))
            }
            for (i, e) in es.enumerated() where !takenE[i] {
                rows.append(Pair(participant: participant, institution: institution, status: .expectationOnly, expectation: e, experience: nil))
            }
            for (j, x) in xs.enumerated() where !takenX[j] {
                rows.append(Pair(participant: participant, institution: institution, status: .experienceOnly, expectation: nil, experience: x))
            }
            rows[first...].sort { a, b in a.sortDate != b.sortDate ? a.sortDate < b.sortDate : a.sortSeq < b.sortSeq }
        }
        return rows
    }
}
