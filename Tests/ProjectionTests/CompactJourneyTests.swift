import Foundation
import JourneyModel
import JourneyStore
import Testing
@testable import Projections

/// The compact journeys a view reads from the store are the compact forms of its full
/// journeys, and the rules give the same rows on both - in plain and encrypted stores, at every
/// log position (retractions included), whether a record is decoded compactly or in full.
struct CompactJourneyTests {
    /// A journey as comparable values: each event with its institution ids instead of numbers.
    private func named(_ journey: [CompactEvent], _ numbers: InstitutionNumbers) -> [String] {
        journey.map { e in
            let name = { (n: Int32) in n == CompactEvent.none ? "-" : numbers.name(n) }
            return "\(e.seq) \(e.type) \(e.date) \(e.timed) \(e.seconds) \(e.nanoseconds) \(name(e.institution)) "
                + "\(name(e.counterpart)) \(e.day) \(e.outcome.map { "\($0)" } ?? "-") \(e.exitReason.map { "\($0)" } ?? "-")"
        }
    }

    private func check(_ f: Fixture, count: Int) throws {
        try f.state.catchUp()
        for upto in [UInt64(count / 3), UInt64(count / 2 + 7), UInt64(count)] {
            try f.state.view(upto: upto) { view in
                for p in try view.participants() {
                    let full = try view.journey(of: p)
                    let compact = try view.compactJourney(of: p)
                    let numbers = view.institutionNumbers
                    var own = InstitutionNumbers()
                    let converted = CompactEvent.journey(full, numbers: &own)
                    #expect(named(compact, numbers) == named(converted, own))

                    // The projection read compact, against the one of the journey read in full.
                    let read = try ParticipantProjection(view, participant: p, form: .compact, windows: ProjectionWindows(windowDays: 7, followUpDays: 3))
                    let inFull = ParticipantProjection(participant: p, events: full, windows: ProjectionWindows(windowDays: 7, followUpDays: 3))
                    let facts = read.facts, reference = inFull.facts
                    #expect(facts.mentioned == reference.mentioned && facts.contacted == reference.contacted)
                    let counts: [Int] = [facts.events, facts.contacts, facts.referrals, facts.expectations, facts.experiences]
                    #expect(counts == [reference.events, reference.contacts, reference.referrals, reference.expectations, reference.experiences])
                    #expect(facts.enrolledOn == reference.enrolledOn && facts.exitedOn == reference.exitedOn && facts.exitReason == reference.exitReason)

                    let rows = read.pairRows().map { r in
                        "\(r.status) \(read.numbers.name(r.institution)) \(r.expectation.map { read.journey[$0].seq } ?? 0) \(r.experience.map { read.journey[$0].seq } ?? 0) \(r.dayOffset ?? 99)"
                    }
                    let pairs = inFull.pairs().map { r in
                        "\(r.status) \(r.institution) \(r.expectation?.seq ?? 0) \(r.experience?.seq ?? 0) \(r.dayOffset ?? 99)"
                    }
                    #expect(rows == pairs)

                    let audit = read.auditRows().map { a in
                        "\(read.journey[a.index].seq) \(a.refused) \(a.deadEnd) \(a.chainDepth) \(a.inCycle)"
                    }
                    let audited = inFull.referrals().map { a in
                        "\(a.logged.seq) \(a.refused) \(a.deadEnd) \(a.chainDepth) \(a.inCycle)"
                    }
                    #expect(audit == audited)
                }
            }
        }
    }

    @Test(arguments: [11, 12, 13] as [UInt64])
    func compactJourneysMatchFullJourneys(seed: UInt64) throws {
        let lines = CatchUpPropertyTests.randomStream(seed: seed, count: 150)
        let f = try Fixture()
        try f.importLines(lines)
        try check(f, count: lines.count)
    }

    @Test func compactJourneysMatchInAnEncryptedStore() throws {
        let keyDirectory = NSTemporaryDirectory() + "journey-key-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: keyDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: keyDirectory) }
        let lines = CatchUpPropertyTests.randomStream(seed: 14, count: 150)
        let f = try Fixture(encryptedWith: try MasterKey.create(path: keyDirectory + "/master.key"))
        try f.importLines(lines)
        try check(f, count: lines.count)
    }

    /// A record not in the stored form the compact decoder reads (a date written with escapes)
    /// is decoded in full and still comes out compact.
    @Test func aRecordTheCompactDecoderStepsAsideFromIsReadInFull() throws {
        let f = try Fixture()
        try f.importLines([
            #"{"id":"x1","type":"contact","participant":"P","at":"\u0032023-05-01","source":"esm","data":{"institution":"a"}}"#,
            E.referral("x2", "a", "b", "2023-05-02"), E.contact("x3", "b", "2023-05-20"),
        ])
        try check(f, count: 3)
        let (journey, numbers) = try f.state.view { v in (try v.compactJourney(of: "P"), v.institutionNumbers) }
        #expect(journey.map(\.seq) == [1, 2, 3] && numbers.name(journey[0].institution) == "a")
        #expect(ReferralAudit.rows(journey: journey, followUpDays: 30).map(\.deadEnd) == [false])
    }

    /// Institutions mentioned and contacted come each once, in the order first named, also when
    /// a journey names many more than the list is searched for (past 32, a set keeps them).
    @Test func factsListManyInstitutionsEachOnceInOrder() throws {
        let f = try Fixture()
        var lines: [String] = []
        var names: [String] = []
        for i in 0..<300 {
            let inst = "inst-\((i * 37) % 90)"
            names.append(inst)
            let day = String(format: "2023-%02d-%02d", 1 + i / 28 % 12, 1 + i % 28)
            lines.append(i % 3 == 0 ? E.referral("r\(i)", "self", inst, day) : E.contact("c\(i)", inst, day))
        }
        try f.importLines(lines)
        let facts = try f.state.view { v in
            ParticipantFacts(participant: "P", journey: try v.compactJourney(of: "P"), numbers: v.institutionNumbers)
        }
        // The journey is by time; the lines above are already in time order.
        var expected: [String] = []
        for n in names where !expected.contains(n) { expected.append(n) }
        #expect(facts.mentioned == expected)
        #expect(facts.mentioned.count == 90)
        var contacted: [String] = []
        for (i, n) in names.enumerated() where i % 3 != 0 && !contacted.contains(n) { contacted.append(n) }
        #expect(facts.contacted == contacted)
    }
}
