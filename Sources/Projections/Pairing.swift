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
    /// Statement alias -> its item (contract 4.1), for `items`.
    let aliases: [String: String]

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
        func item(_ id: String) -> String { aliases[id] ?? id }
        for s in e.data.statements {
            let id = item(s.item)
            if let y = x.data.statements.first(where: { item($0.item) == id }), !out.contains(where: { $0.item == id }) {
                out.append(PairItem(item: id, expected: s.score, experienced: y.score))
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

/// One row of a compact journey's pairing: the expectation and experience as positions in
/// the journey.
public struct PairRow: Sendable, Equatable {
    public let status: Pair.Status
    /// The institution's number in the journey's `InstitutionNumbers`.
    public let institution: Int32
    /// The expectation's index in the journey, if the row has one.
    public let expectation: Int?
    /// The experience's index in the journey, if the row has one.
    public let experience: Int?
    /// contactOn - plannedFor in days, for a pair.
    public let dayOffset: Int?
}

/// Expectation-experience pairing (contract 2.2).
public enum Pairing {
    /// Pairs one participant's expectations and experiences per institution (a compact journey:
    /// events by time, institutions numbered in `numbers`): candidates within `windowDays`, taken
    /// greedily by (|day offset|, plannedFor, expectation id, experience id - contract 4.1: ids,
    /// not log positions); the rest unpaired. Rows by institution, then date, then id. (`ParticipantProjection.pairs()` gives
    /// them with their events.)
    public static func rows(journey: [CompactEvent], numbers: InstitutionNumbers, windowDays: Int) -> [PairRow] {
        // The expectations and experiences, as indices into the journey.
        var es: [Int] = [], xs: [Int] = []
        for (i, event) in journey.enumerated() {
            if event.type == .expectation { es.append(i) } else if event.type == .experience { xs.append(i) }
        }
        guard !es.isEmpty || !xs.isEmpty else { return [] }
        let byInstitution = { (a: Int, b: Int) in
            journey[a].institution != journey[b].institution ? journey[a].institution < journey[b].institution : journey[a].idRank < journey[b].idRank
        }
        es.sort(by: byInstitution)
        xs.sort(by: byInstitution)
        // One group per institution, then the groups in byte order of the ids.
        var groups: [(institution: Int32, es: Range<Int>, xs: Range<Int>)] = []
        var i = 0, j = 0
        while i < es.count || j < xs.count {
            let next = j == xs.count || (i < es.count && journey[es[i]].institution <= journey[xs[j]].institution)
                ? journey[es[i]].institution : journey[xs[j]].institution
            var iEnd = i, jEnd = j
            while iEnd < es.count && journey[es[iEnd]].institution == next { iEnd += 1 }
            while jEnd < xs.count && journey[xs[jEnd]].institution == next { jEnd += 1 }
            groups.append((next, i..<iEnd, j..<jEnd))
            i = iEnd
            j = jEnd
        }
        if groups.count > 1 { groups.sort { numbers.precedes($0.institution, $1.institution) } }

        var rows: [PairRow] = []
        rows.reserveCapacity(max(es.count, xs.count))
        var group: [(row: PairRow, day: Int32, rank: Int32)] = []
        var takenE = [Bool](repeating: false, count: es.count), takenX = [Bool](repeating: false, count: xs.count)
        var candidates: [(distance: Int, planned: Int32, eRank: Int32, xRank: Int32, e: Int, x: Int)] = []
        for (institution, eRange, xRange) in groups {
            // Each candidate carries its sort key, so sorting touches no event.
            candidates.removeAll(keepingCapacity: true)
            for e in eRange {
                let expectation = journey[es[e]]
                for x in xRange {
                    let experience = journey[xs[x]]
                    let offset = Int(experience.day) - Int(expectation.day)
                    if abs(offset) <= windowDays {
                        candidates.append((abs(offset), expectation.day, expectation.idRank, experience.idRank, e, x))
                    }
                }
            }
            candidates.sort { a, b in
                if a.distance != b.distance { return a.distance < b.distance }
                if a.planned != b.planned { return a.planned < b.planned }
                if a.eRank != b.eRank { return a.eRank < b.eRank }
                return a.xRank < b.xRank
            }
            group.removeAll(keepingCapacity: true)
            for c in candidates where !takenE[c.e] && !takenX[c.x] {
                takenE[c.e] = true
                takenX[c.x] = true
                let e = journey[es[c.e]], x = journey[xs[c.x]]
                group.append((PairRow(status: .paired, institution: institution, expectation: es[c.e], experience: xs[c.x],
                                      dayOffset: Int(x.day) - Int(e.day)), e.day, e.idRank))
            }
            for e in eRange where !takenE[e] {
                let event = journey[es[e]]
                group.append((PairRow(status: .expectationOnly, institution: institution, expectation: es[e], experience: nil,
                                      dayOffset: nil), event.day, event.idRank))
            }
            for x in xRange where !takenX[x] {
                let event = journey[xs[x]]
                group.append((PairRow(status: .experienceOnly, institution: institution, expectation: nil, experience: xs[x],
                                      dayOffset: nil), event.day, event.idRank))
            }
            // Rows by the expectation's (else the experience's) date, then id.
            group.sort { a, b in a.day != b.day ? a.day < b.day : a.rank < b.rank }
            for g in group { rows.append(g.row) }
        }
        return rows
    }
}
