import JourneyModel
import Testing
@testable import Projections

struct PairingTests {
    private func pairs(_ lines: [String], window: Int = 7) throws -> [Pair] {
        let f = try Fixture()
        try f.importLines(lines)
        return ParticipantProjection(participant: "P", events: try f.journey("P"), windows: ProjectionWindows(windowDays: window)).pairs()
    }

    @Test func windowEdgeSevenDaysPairsEightDoesNot() throws {
        let rows = try pairs([
            E.expectation("e1", "a", planned: "2023-05-01"), E.experience("x1", "a", on: "2023-05-08"),
            E.expectation("e2", "b", planned: "2023-05-01"), E.experience("x2", "b", on: "2023-05-09"),
        ])
        #expect(rows.map(\.status) == [.paired, .expectationOnly, .experienceOnly])
        #expect(rows[0].dayOffset == 7)
        #expect(rows[1].expectation?.id == "e2" && rows[2].experience?.id == "x2")
        #expect(try pairs([E.expectation("e2", "b", planned: "2023-05-01"), E.experience("x2", "b", on: "2023-05-09")], window: 8)[0].dayOffset == 8)
    }

    @Test func negativeOffsetsAndDifferentInstitutionsNeverPair() throws {
        let rows = try pairs([E.expectation("e1", "a", planned: "2023-05-10"), E.experience("x1", "a", on: "2023-05-04"),
                              E.experience("x2", "b", on: "2023-05-10")])
        #expect(rows.count == 2)
        #expect(rows[0].status == .paired && rows[0].dayOffset == -6)
        #expect(rows[1].status == .experienceOnly && rows[1].institution == "b")
    }

    @Test func competingExpectationsTheClosestWinsThenTheEarlierPlanned() throws {
        // x1 is 1 day after e1 and 1 day before e2: equal |offset|, e1 planned earlier wins.
        // x2 then pairs with e2 (offset 3); e3 is left over.
        let rows = try pairs([
            E.expectation("e1", "a", planned: "2023-05-01"), E.expectation("e2", "a", planned: "2023-05-03"),
            E.expectation("e3", "a", planned: "2023-05-20"),
            E.experience("x1", "a", on: "2023-05-02"), E.experience("x2", "a", on: "2023-05-06"),
        ])
        let paired = rows.filter { $0.status == .paired }.map { "\($0.expectation!.id)-\($0.experience!.id)" }
        #expect(paired == ["e1-x1", "e2-x2"])
        #expect(rows.filter { $0.status == .expectationOnly }.map { $0.expectation!.id } == ["e3"])
    }

    @Test func tiesOnOffsetAndDateGoToTheLowerSeq() throws {
        // Two expectations for the same day: the first in the log takes the only experience.
        let rows = try pairs([
            E.expectation("e1", "a", planned: "2023-05-01"), E.expectation("e2", "a", planned: "2023-05-01"),
            E.experience("x1", "a", on: "2023-05-01"),
        ])
        #expect(rows.first { $0.status == .paired }?.expectation?.id == "e1")
        // Two experiences equally far: the lower experience seq wins.
        let other = try pairs([
            E.expectation("e1", "a", planned: "2023-05-05"),
            E.experience("x1", "a", on: "2023-05-07"), E.experience("x2", "a", on: "2023-05-03"),
        ])
        #expect(other.first { $0.status == .paired }?.experience?.id == "x1")
    }

    @Test func itemsOnOneSideOnlyGiveNoItemRow() throws {
        let rows = try pairs([
            E.expectation("e1", "a", planned: "2023-05-01", statements: #"{"trust":2,"clear":4,"only-before":3}"#),
            E.experience("x1", "a", on: "2023-05-02", statements: #"{"trust":5,"clear":1,"only-after":0}"#),
        ])
        #expect(rows[0].items == [PairItem(item: "clear", expected: 4, experienced: 1), PairItem(item: "trust", expected: 2, experienced: 5)])
        #expect(rows[0].items.map(\.delta) == [-3, 3])
    }
}
