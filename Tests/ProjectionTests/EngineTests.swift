import Foundation
import Dumps
import JourneyModel
import Testing
@testable import Projections

struct EngineTests {
    @Test func retractingAContactRemovesItFromItsPositionOn() throws {
        let f = try Fixture()
        try f.importLines([E.contact("c1", "a", "2023-05-01"), E.contact("c2", "b", "2023-05-02")])
        try f.importLines([E.retract("x", "c1")])
        #expect(try f.journey("P").map(\.event.id) == ["c2"])
        // Replayed as of before the retraction, c1 is there.
        #expect(try f.journey("P", upto: 2).map(\.event.id) == ["c1", "c2"])
        #expect(try f.journey("P", upto: 1).map(\.event.id) == ["c1"])
    }

    @Test func retractingARecodingBringsBackThePreviousCoding() throws {
        let f = try Fixture()
        try f.importLines([
            E.coded("k1", "a", ["help.formal.health"], at: "2023-01-01"),
            E.coded("k2", "a", ["legal.civil.assistance", "help.formal.health"], at: "2023-02-01"),
            E.contact("c1", "a", "2023-05-01"),
        ])
        try f.state.catchUp()
        #expect(try f.state.view { try $0.codings() }.chain(of: "a") == "both")
        try f.importLines([E.retract("x", "k2", p: nil)])
        try f.state.catchUp()
        #expect(try f.state.view { try $0.codings() }.chain(of: "a") == "help")
        #expect(try f.state.view(upto: 3) { try $0.codings() }.chain(of: "a") == "both")
        // A coding dated later but imported earlier still wins by time, not by log position.
        try f.importLines([E.coded("k0", "a", ["help.informal"], at: "2022-01-01")])
        try f.state.catchUp()
        #expect(try f.state.view { try $0.codings() }.categories(of: "a") == ["help.formal.health"])
    }

    @Test func participantsStayCountedWhenEverythingIsRetracted() throws {
        let f = try Fixture()
        try f.importLines([E.contact("c1", "a", "2023-05-01", p: "Q"), E.contact("c2", "a", "2023-05-01"), E.retract("x", "c1", p: "Q")])
        try f.state.catchUp()
        let facts = try f.state.view { v in try v.participants().map { try ParticipantProjection(v, participant: $0, form: .full, windows: ProjectionWindows()).facts } }
        #expect(facts.map(\.participant) == ["P", "Q"])
        #expect(facts.map(\.mentioned.count) == [1, 0])
        let stats = CohortStats(facts: facts, directory: InstitutionDirectory())
        #expect(stats.participants == 2 && stats.institutions == 1)
        #expect(stats.perParticipant.min == 0 && stats.perParticipant.median == 0.5 && stats.perParticipant.mean == 0.5)
        #expect(stats.byChain.first { $0.0 == "uncoded" }?.1 == 1)
    }

    @Test func byTimeOrderAndAsOfDates() throws {
        let f = try Fixture()
        try f.importLines([
            E.contact("late", "a", "2023-05-14T23:30:00+02:00"), E.contact("plain", "a", "2023-05-14"),
            E.contact("early", "a", "2023-05-14T08:00:00Z"), E.contact("before", "a", "2023-05-13"),
        ])
        #expect(try f.journey("P").map(\.event.id) == ["before", "plain", "early", "late"])
    }

    @Test func meanIsRoundedHalfUpAndMedianIsNot() {
        func facts(_ counts: [Int]) -> [ParticipantFacts] {
            counts.enumerated().map { i, n in
                var f = ParticipantFacts(participant: "p\(i)", journey: [], numbers: InstitutionNumbers())
                f.mentioned = (0..<n).map { "i\($0)" }
                return f
            }
        }
        let s = CohortStats(facts: facts([1, 2, 2]), directory: InstitutionDirectory())  // 5/3 = 1.6667
        #expect(s.perParticipant.mean == 1.67 && s.perParticipant.median == 2)
        let t = CohortStats(facts: facts([1, 1, 1, 2, 2, 2, 2, 2]), directory: InstitutionDirectory())  // 13/8 = 1.625 -> 1.63
        #expect(t.perParticipant.mean == 1.63 && t.perParticipant.median == 2)
        let u = CohortStats(facts: facts([10, 11, 3, 4]), directory: InstitutionDirectory())
        #expect(u.perParticipant.median == 7 && u.perParticipant.atLeast10 == 2)
        #expect(CohortStats(facts: [], directory: InstitutionDirectory()).json().contains(#""min": null, "max": null, "mean": null, "median": null"#))
    }
}

/// The value sets of dumps list exactly the values the model knows, so no coded value can reach
/// an SPSS or Stata file without a label.
@Suite struct DumpValueSetTests {
    @Test func valueSetsMatchTheModelsEnumerations() {
        #expect(ValueSet.outcome.values.map(\.value) == ReferralOutcome.allCases.map(\.rawValue))
        #expect(ValueSet.exitReason.values.map(\.value) == ExitReason.allCases.map(\.rawValue))
        #expect(ValueSet.source.values.map(\.value) == EventSource.allCases.map(\.rawValue))
        #expect(ValueSet.eventType.values.map(\.value) == EventType.allCases.map(\.name))
        #expect(ValueSet.category.values.map(\.value) == Taxonomy.shared.categories.map(\.code))
        #expect(Set(ValueSet.category.values.map(\.code)).count == 13)
        #expect(ValueSet.chain.value("legal")?.label(.nl) == "Juridische keten")
        #expect(ValueSet.outcome.value("refused")?.label(.nl) == "Geweigerd")
        for set in ValueSet.all {
            #expect(Set(set.values.map(\.code)).count == set.values.count, "\(set.name) repeats a code")
        }
    }

    @Test func everyCodedColumnHasAValueSetAndEveryLabelFitsStata() {
        for table in DumpTables.all {
            for field in table.fields {
                #expect(field.label.utf8.count <= 80)
                if field.type == .boolean { #expect(field.values?.name == "boolean") }
            }
            for key in table.foreignKeys {
                let target = DumpTables.all.first { $0.name == key.table }
                #expect(target?.primaryKey == key.reference, "\(table.name) refers to \(key.table) by its primary key")
            }
        }
    }
}
