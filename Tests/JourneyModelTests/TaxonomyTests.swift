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
}
