@testable import JourneyModel
import Testing
@testable import Projections

struct ReferralAuditTests {
    private func audit(_ lines: [String], followUp: Int = 30) throws -> [AuditedReferral] {
        let f = try Fixture()
        try f.importLines(lines)
        return ParticipantProjection(participant: "P", events: try f.journey("P"), windows: ProjectionWindows(followUpDays: followUp)).referrals()
    }

    @Test func deadEndAtExactlyFDaysIsFollowedUpAtFPlusOneIsNot() throws {
        let rows = try audit([
            E.referral("r1", "a", "b", "2023-05-01"), E.contact("c1", "b", "2023-05-31"),
            E.referral("r2", "a", "c", "2023-05-01"), E.contact("c2", "c", "2023-06-01"),
            E.referral("r3", "a", "d", "2023-05-01"),
            E.experience("x1", "d", on: "2023-05-01", at: "2023-09-01"),  // experience counts by contactOn
            E.referral("r4", "a", "e", "2023-05-10"), E.contact("c3", "e", "2023-05-09"),  // before the referral
            E.referral("r5", "a", "f", "2023-05-01", outcome: "refused"),
        ])
        #expect(rows.map(\.logged.event.id) == ["r1", "r2", "r3", "r5", "r4"])
        #expect(rows.map(\.deadEnd) == [false, true, false, false, true])
        #expect(rows.map(\.refused) == [false, false, false, true, false])
    }

    @Test func chainDepthsOneToFour() throws {
        let rows = try audit([
            E.referral("r1", "self", "a", "2023-05-01"),
            E.referral("r2", "a", "b", "2023-05-02", outcome: "refused"),
            E.referral("r3", "b", "c", "2023-05-03"),
            E.referral("r4", "c", "d", "2023-05-04"),
            E.referral("r5", "a", "x", "2023-05-05"),
            E.referral("r0", "c", "z", "2023-04-01"),  // earlier than anything arriving at c
        ])
        let depth = Dictionary(uniqueKeysWithValues: rows.map { ($0.logged.event.id, $0.chainDepth) })
        #expect(depth == ["r0": 1, "r1": 1, "r2": 2, "r3": 3, "r4": 4, "r5": 2])
    }

    @Test func cyclesPingPongAndSelfLoops() throws {
        let rows = try audit([
            E.referral("r1", "a", "b", "2023-05-01"), E.referral("r2", "b", "c", "2023-05-02"),
            E.referral("r3", "c", "a", "2023-05-03", outcome: "not-eligible"),
            E.referral("r4", "c", "d", "2023-05-04"),
            E.referral("r5", "p", "q", "2023-05-05"), E.referral("r6", "q", "p", "2023-05-06"),
            E.referral("r7", "s", "s", "2023-05-07"),
            E.referral("r8", "self", "a", "2023-05-08"), E.referral("r9", "network", "q", "2023-05-09"),
        ])
        let cycle = Dictionary(uniqueKeysWithValues: rows.map { ($0.logged.event.id, $0.inCycle) })
        #expect(cycle == ["r1": true, "r2": true, "r3": true, "r4": false, "r5": true, "r6": true, "r7": true, "r8": false, "r9": false])
    }

    @Test func networkCountsReferralsRefusalsAndParticipants() throws {
        let f = try Fixture()
        try f.importLines([
            // P's two referrals along a>b have another edge between them: P counts once on each.
            E.referral("r1", "a", "b", "2023-05-01", outcome: "refused"), E.referral("r1b", "b", "c", "2023-05-01"),
            E.referral("r2", "a", "b", "2023-05-02"),
            E.referral("r3", "a", "b", "2023-05-03", outcome: "no-capacity", p: "Q"), E.referral("r4", "self", "a", "2023-05-03", p: "Q"),
        ])
        try f.state.catchUp()
        let audited = try f.state.view { v in try v.participants().flatMap { try ParticipantProjection(v, participant: $0, form: .full, windows: ProjectionWindows()).referrals() } }
        let network = ReferralAudit.network(audited)
        #expect(network.map { "\($0.from)>\($0.to):\($0.referrals)/\($0.refused)/\($0.participants)" } == ["a>b:3/2/2", "b>c:1/0/1", "self>a:1/0/1"])
    }

    /// The cycle search (with its shortcut for graphs without an onward referral, searched in
    /// a list up to 32 onward referrals and in a set beyond) against the definition: a referral
    /// between institutions is cyclic when its ends lie on one strongly connected component of
    /// two or more nodes.
    @Test(arguments: [3, 10, 40, 64, 65, 120])
    func cyclicEdgesMatchTheDefinition(referralCount: Int) {
        var random = SplitMix(UInt64(referralCount) &* 7919)
        for _ in 0..<60 {
            let institutionCount = referralCount > 64 ? 40 + random.next(30) : 2 + random.next(12)
            let nodes = ["self", "network"] + (0..<institutionCount).map { "i\($0)" }
            let referrals = (0..<referralCount).map { _ in
                Referral(from: nodes[random.next(nodes.count)], to: nodes[2 + random.next(nodes.count - 2)],
                         outcome: .accepted, reason: nil)
            }
            let edges = referrals.filter { Referrer.isInstitution($0.from) }
            func reaches(_ a: String, _ b: String) -> Bool {
                var seen: Set<String> = [a], frontier = [a]
                while let n = frontier.popLast() {
                    if n == b { return true }
                    for e in edges where e.from == n && !seen.contains(e.to) {
                        seen.insert(e.to)
                        frontier.append(e.to)
                    }
                }
                return false
            }
            func inLargeComponent(_ a: String) -> Bool { nodes.contains { $0 != a && reaches(a, $0) && reaches($0, a) } }
            var numbers = InstitutionNumbers()
            let ends = referrals.map { (numbers.number($0.from), numbers.number($0.to)) }
            let expected = referrals.map { e in
                Referrer.isInstitution(e.from) && reaches(e.to, e.from) && (e.from != e.to || inLargeComponent(e.from))
            }
            #expect(ReferralAudit.cyclicReferrals(ends) == expected)
        }
    }

    @Test func stringNumberingKeepsNumbersAcrossItsSwitchToADictionary() {
        var numbering = StringNumbering()
        let names = (0..<100).map { "inst-\(($0 * 37) % 100)" }
        for (i, name) in names.enumerated() { #expect(numbering.number(name) == i) }
        for (i, name) in names.enumerated().reversed() { #expect(numbering.number(name) == i) }
        #expect(numbering.names == names)
        let rank = numbering.ranks()
        let byBytes = names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for (i, name) in names.enumerated() { #expect(byBytes[rank[i]] == name) }
    }
}
