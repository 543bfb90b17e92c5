import Foundation
import Testing

/// The projection commands run as a user would, against a small cohort whose expected dump
/// was checked by hand (`Fixtures/expected-dump*`).
@Suite(.serialized)
struct ProjectionCommandTests {
    static let fixtures = CommandRunner.packageRoot + "/Tests/EndToEndTests/Fixtures"

    private func storeWithCohort(_ dir: Scratch) throws -> String {
        let store = dir.path + "/store"
        let r = try CommandRunner.journey(["import", Self.fixtures + "/cohort.jsonl", "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        return store
    }

    private func expectSameFiles(_ produced: String, _ expected: String) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: expected).sorted()
        #expect(names.count == 19)
        for name in names {
            let a = try Data(contentsOf: URL(fileURLWithPath: produced + "/" + name))
            let b = try Data(contentsOf: URL(fileURLWithPath: expected + "/" + name))
            #expect(a == b, "\(name) differs from \(expected)/\(name)")
        }
    }

    /// Reads do not write: a projection command brings the projection state up to the log once
    /// (and says so); after that it opens the store read-only, and the store's file is left as
    /// it was, byte for byte.
    @Test func projectionCommandsWriteOnlyToCatchUpAndSaySo() throws {
        let dir = try Scratch()
        let store = try storeWithCohort(dir)
        let first = try CommandRunner.journey(["stats", "--store", store])
        #expect(first.status == 0 && first.stderr.contains("projection state brought up to seq"), "\(first.stderr)")
        let before = try Data(contentsOf: URL(fileURLWithPath: store + "/data.mdb"))
        for command in [["stats"], ["pairs"], ["referrals"], ["compliance"], ["timeline", "A"]] {
            let r = try CommandRunner.journey(command + ["--store", store])
            #expect(r.status == 0 && !r.stderr.contains("projection state"), "\(command): \(r.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: store + "/data.mdb")) == before, "a read wrote to the store")
        // After an import the next read catches up again, and says so.
        let more = dir.path + "/more.jsonl"
        try (#"{"id":"extra-1","type":"contact","participant":"A","at":"2024-02-01","source":"esm","data":{"institution":"pol"}}"# + "\n")
            .write(toFile: more, atomically: true, encoding: .utf8)
        #expect(try CommandRunner.journey(["import", more, "--store", store]).status == 0)
        let after = try CommandRunner.journey(["pairs", "--store", store])
        #expect(after.status == 0 && after.stderr.contains("projection state brought up to seq"), "\(after.stderr)")
    }

    @Test func dumpMatchesTheHandCheckedFilesByteForByte() throws {
        let dir = try Scratch()
        let store = try storeWithCohort(dir)
        let out = dir.path + "/dump"
        let r = try CommandRunner.journey(["dump", "--out", out, "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        try expectSameFiles(out, Self.fixtures + "/expected-dump")
        // Writing into an existing directory replaces the files.
        #expect(try CommandRunner.journey(["dump", "--out", out, "--store", store]).status == 0)
        try expectSameFiles(out, Self.fixtures + "/expected-dump")
    }

    @Test func dumpUptoReplaysTheLogBeforeTheRetractions() throws {
        let dir = try Scratch()
        let store = try storeWithCohort(dir)
        let out = dir.path + "/dump20"
        #expect(try CommandRunner.journey(["dump", "--out", out, "--upto", "20", "--store", store]).status == 0)
        try expectSameFiles(out, Self.fixtures + "/expected-dump-upto20")
    }

    @Test func catchUpAfterALaterImportGivesTheSameDumpAsOneImport() throws {
        let dir = try Scratch()
        let lines = try String(contentsOfFile: Self.fixtures + "/cohort.jsonl", encoding: .utf8).split(separator: "\n")
        let first = dir.path + "/first.jsonl", second = dir.path + "/second.jsonl"
        try (lines[0..<12].joined(separator: "\n") + "\n").write(toFile: first, atomically: true, encoding: .utf8)
        try (lines[12...].joined(separator: "\n") + "\n").write(toFile: second, atomically: true, encoding: .utf8)
        let store = dir.path + "/store"
        #expect(try CommandRunner.journey(["import", first, "--store", store]).status == 0)
        #expect(try CommandRunner.journey(["dump", "--out", dir.path + "/early", "--store", store]).status == 0)
        #expect(try CommandRunner.journey(["import", second, "--store", store]).status == 0)
        #expect(try CommandRunner.journey(["dump", "--out", dir.path + "/late", "--store", store]).status == 0)
        try expectSameFiles(dir.path + "/late", Self.fixtures + "/expected-dump")
    }

    @Test func datapackageDescribesEveryCSVInHeaderOrder() throws {
        let dir = try Scratch()
        let store = try storeWithCohort(dir)
        let out = dir.path + "/dump"
        #expect(try CommandRunner.journey(["dump", "--out", out, "--store", store]).status == 0)
        let package = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/datapackage.json"))) as? [String: Any]
        let resources = package?["resources"] as? [[String: Any]] ?? []
        #expect(resources.count == 18)
        for resource in resources {
            let path = try #require(resource["path"] as? String)
            let fields = ((resource["schema"] as? [String: Any])?["fields"] as? [[String: Any]]) ?? []
            let header = try String(contentsOfFile: out + "/" + path, encoding: .utf8).components(separatedBy: "\r\n")[0]
            #expect(fields.map { $0["name"] as? String ?? "" }.joined(separator: ",") == header)
            #expect(fields.allSatisfy { ($0["type"] as? String) != nil && !(($0["description"] as? String) ?? "").isEmpty })
        }
    }

    @Test func statsJSONEqualsTheDumpsStatsAndTextReadsLikeAResultsSection() throws {
        let dir = try Scratch()
        let store = try storeWithCohort(dir)
        let json = try CommandRunner.journey(["stats", "--format", "json", "--store", store])
        #expect(json.stdout == (try String(contentsOfFile: Self.fixtures + "/expected-dump/stats.json", encoding: .utf8)))
        let text = try CommandRunner.journey(["stats", "--store", store]).stdout
        #expect(text.contains("3 participants named 5 unique institutions."))
        #expect(text.contains("Unique institutions per participant: 1 to 4, mean 2.67, median 3.0; 0 of 3 met at least 10."))
    }

    @Test func timelineShowsTheJourneyWithMarksAndReplaysTransactionTime() throws {
        let dir = try Scratch()
        let store = try storeWithCohort(dir)
        let text = try CommandRunner.journey(["timeline", "A", "--store", store]).stdout
        #expect(text.contains("Journey of A: 10 events (log up to seq 24)"))
        #expect(text.contains("[DEAD END, CYCLE, chain depth 2]"))
        #expect(text.contains("[REFUSED, CYCLE, chain depth 3]"))
        #expect(text.contains("-> experienced 2023-04-12 (+7 days): helps 4->1 (-3), listens 3->5 (+2)"))

        let b = try CommandRunner.journey(["timeline", "B", "--format", "json", "--store", store]).stdout
        #expect(!b.contains("B-c1\""))
        let before = try CommandRunner.journey(["timeline", "B", "--format", "json", "--upto", "20", "--store", store]).stdout
        #expect(before.contains("\"B-c1\""))
        let asOf = try CommandRunner.journey(["timeline", "A", "--as-of", "2023-03-10", "--store", store]).stdout
        #expect(asOf.contains("Journey of A: 4 events"))
        let knownBefore = try CommandRunner.journey(["timeline", "A", "--known-at", "2000-01-01T00:00:00Z", "--store", store])
        #expect(knownBefore.status != 0 && knownBefore.stderr.contains("no participant \"A\""))
        let knownNow = try CommandRunner.journey(["timeline", "A", "--known-at", "2999-01-01T00:00:00Z", "--store", store])
        #expect(knownNow.stdout.contains("log up to seq 24"))
    }

    @Test func pairsAndReferralsCommands() throws {
        let dir = try Scratch()
        let store = try storeWithCohort(dir)
        let pairs = try CommandRunner.journey(["pairs", "--store", store]).stdout
        #expect(pairs.contains("3 rows: 1 paired, 1 expectation unpaired, 1 experience unpaired (window 7 days)"))
        let narrow = try CommandRunner.journey(["pairs", "--participant", "A", "--window-days", "6", "--format", "json", "--store", store]).stdout
        #expect(narrow.contains("\"expectation-only\"") && !narrow.contains("\"paired\""))
        let audit = try CommandRunner.journey(["referrals", "--store", store]).stdout
        #expect(audit.contains("6 referrals of 3 participants"))
        #expect(audit.contains("refused:   2 (2 participants)"))
        #expect(audit.contains("dead ends: 2 (2 participants)"))
        #expect(audit.contains("vt -> gp: 1 referral, 0 refused, 1 participant"))
        #expect(audit.contains("in cycles: 3 (2 participants sent from pillar to post)"))
        let bad = try CommandRunner.journey(["referrals", "--follow-up-days=-1", "--store", store])
        #expect(bad.status != 0 && bad.stderr.contains("--follow-up-days must be 0 or more"))
        let nobody = try CommandRunner.journey(["pairs", "--participant", "Z", "--store", store])
        #expect(nobody.status != 0 && nobody.stderr.contains("no participant \"Z\""))
    }
}
