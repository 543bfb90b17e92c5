import Foundation
import Testing
@testable import JourneyModel

struct TaxonomyTests {
    @Test func embeddedTaxonomyIsTheSchemasFile() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Schemas/taxonomy.json")
        let file = try Taxonomy(json: Data(contentsOf: url))
        #expect(file.categories == Taxonomy.shared.categories)
        #expect(Taxonomy.shared.categories.count == 13)
        #expect(Taxonomy.shared.categories.allSatisfy { !$0.nl.isEmpty && !$0.en.isEmpty })
    }

    @Test func chainsAndLevelClasses() {
        let t = Taxonomy.shared
        #expect(t.chain(of: ["legal.criminal.enforcement"]) == "legal")
        #expect(t.chain(of: ["help.informal", "help.alternative"]) == "help")
        #expect(t.chain(of: ["legal.civil.assistance", "help.formal.advice"]) == "both")
        #expect(t.chain(of: []) == "uncoded")
        #expect(Taxonomy.levelClass(of: [.national]) == "national")
        #expect(Taxonomy.levelClass(of: [.regional, .local]) == "regional")
        #expect(Taxonomy.levelClass(of: [.local]) == "regional")
        #expect(Taxonomy.levelClass(of: [.national, .local]) == "mixed")
        #expect(Taxonomy.levelClass(of: []) == "uncoded")
    }

    /// The kinds of organisation (contract 4.2): the enum the parser checks against is the
    /// taxonomy file's list, every kind with an English and a Dutch label.
    /// The professional groups (contract 4.3) and `for` values: the enums the parser checks
    /// against are the file's lists, each labelled in both languages.
    @Test func professionalGroupsAndForAreTheTaxonomyFiles() throws {
        #expect(ProfessionalGroup.allCases.map(\.rawValue) == Taxonomy.shared.professionals.map(\.code))
        #expect(Taxonomy.shared.professionals.count == 38)
        #expect(Taxonomy.shared.professionals.filter { $0.chain == "legal" }.count == 10)
        #expect(Taxonomy.shared.professionals.filter { $0.chain == "both" }.map(\.code) == ["police-officer"])
        #expect(Taxonomy.shared.professionals.allSatisfy { !$0.en.isEmpty && !$0.nl.isEmpty && ["legal", "help", "both"].contains($0.chain) })
        #expect(ForWhom.allCases.map(\.rawValue) == Taxonomy.shared.forWhom.map(\.code))
        #expect(ProfessionalGroup.policeOfficer.chain == "both" && ProfessionalGroup.judge.chain == "legal")
    }

    @Test func kindsAreTheTaxonomyFilesKinds() throws {
        #expect(InstitutionKind.allCases.map(\.rawValue) == Taxonomy.shared.kinds.map(\.code))
        #expect(Taxonomy.shared.kinds.count == 26)
        #expect(Taxonomy.shared.kinds.allSatisfy { !$0.en.isEmpty && !$0.nl.isEmpty })
    }

    @Test func aCodingMayNameItsKindAndOnlyAKindOfTheList() throws {
        let line = #"{"id":"k1","type":"institution.coded","at":"2024-01-01","source":"manual","data":{"institution":"ggz-1","name":"GGZ Noord","categories":["help.formal.health"],"levels":["regional"],"kind":"mental-health"}}"#
        guard case .institutionCoded(let c) = try EventParser.parse(Array(line.utf8)).payload else { Issue.record("not a coding"); return }
        #expect(c.kind == .mentalHealth)
        let bad = line.replacingOccurrences(of: "mental-health", with: "ggz")
        #expect(throws: InputError.self) { try EventParser.parse(Array(bad.utf8)) }
        do {
            _ = try EventParser.parse(Array(bad.utf8))
        } catch {
            #expect("\(error)".contains("data.kind: \"ggz\" is not one of police, public-prosecution"))
        }
    }
}
