import Foundation
import Testing

/// The study's analyses as recipes that run (issue 22 point 1): `examples/analysis/study.R` in R
/// (haven, readr, RSQLite, lme4, igraph) and `examples/analysis/study.py` with pandas, on the
/// demo's dump in every format. Their figures must equal `journey stats --format json` where both
/// report the same thing.
@Suite(.serialized)
struct AnalysisRecipeTests {
    static let recipes = CommandRunner.packageRoot + "/examples/analysis"

    private func demoDump(_ dir: Scratch) throws -> (dump: String, stats: [String: Any]) {
        let store = dir.path + "/store"
        #expect(try CommandRunner.journey(["demo", "--store", store]).status == 0)
        let dump = dir.path + "/dump"
        #expect(try CommandRunner.journey(["dump", "--out", dump, "--format", "all", "--store", store]).status == 0)
        let stats = try #require(JSONSerialization.jsonObject(with: Data(try CommandRunner.journey(["stats", "--format", "json", "--store", store]).stdout.utf8)) as? [String: Any])
        return (dump, stats)
    }

    /// The figures both report, equal.
    private func expectSameFigures(_ recipe: [String: Any], _ stats: [String: Any], _ name: String) {
        #expect(recipe["participants"] as? Int == stats["participants"] as? Int, "\(name)")
        #expect(recipe["institutions"] as? Int == stats["institutions"] as? Int, "\(name)")
        for key in ["perParticipant", "byChain", "byLevelClass"] {
            #expect(NSDictionary(dictionary: recipe[key] as? [String: Any] ?? [:]) == NSDictionary(dictionary: stats[key] as? [String: Any] ?? [:]),
                    "\(name) \(key): \(recipe[key] ?? "-") against \(stats[key] ?? "-")")
        }
        let kinds = (stats["participantsByKind"] as? [String: Int] ?? [:]).filter { $0.value > 0 }
        #expect(recipe["participantsByKind"] as? [String: Int] == kinds, "\(name)")
        let deltas = stats["pairDeltaByChain"] as? [String: [String: Any]] ?? [:]
        for (chain, figures) in recipe["pairDeltaByChain"] as? [String: [String: Any]] ?? [:] {
            #expect(figures["items"] as? Int == deltas[chain]?["items"] as? Int, "\(name) \(chain)")
            #expect((figures["mean"] as? Double) == (deltas[chain]?["mean"] as? Double), "\(name) \(chain)")
        }
    }

    @Test func theRRecipeRunsAndAgreesWithTheStats() throws {
        let dir = try Scratch()
        let (dump, stats) = try demoDump(dir)
        let r = try CommandRunner.run("/usr/bin/env", ["Rscript", Self.recipes + "/study.R", dump])
        #expect(r.status == 0, "\(r.stderr)")
        let figures = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)")
        expectSameFigures(figures, stats, "R")
        // The analyses beyond the study: the mixed model's fixed effects and the network's betweenness.
        let model = try #require(figures["gapModel"] as? [String: Double])
        #expect(model["(Intercept)"] != nil && model["chainlegal"].map { $0 < 0 } == true, "\(model)")
        #expect((figures["betweenness"] as? [String: Double])?.isEmpty == false)
    }

    @Test func thePythonRecipeRunsAndAgreesWithTheStats() throws {
        let dir = try Scratch()
        let (dump, stats) = try demoDump(dir)
        let r = try CommandRunner.run("/usr/bin/env", ["python3", Self.recipes + "/study.py", dump])
        #expect(r.status == 0, "\(r.stderr)")
        let figures = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)")
        expectSameFigures(figures, stats, "Python")
    }
}
