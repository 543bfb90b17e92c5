import Foundation
import Testing

/// The audit trail and file modes (the privacy issue's points 3 and 4), as a user meets them.
@Suite(.serialized)
struct AuditTrailTests {
    static let root = CommandRunner.packageRoot

    @Test func everyImportExportDumpAndReportIsRecordedWithWhoWhenAndLogPosition() throws {
        let dir = try Scratch()
        let store = dir.path + "/store"
        let bad = dir.path + "/bad.jsonl"
        try "{\"id\":\"x\"}\n".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(try CommandRunner.journey(["import", Self.root + "/examples/journey-example.jsonl", "--store", store, "--by", "alice"]).status == 0)
        #expect(try CommandRunner.journey(["import", bad, "--store", store, "--by", "alice"]).status != 0)
        #expect(try CommandRunner.journey(["export", "--participant", "P02", "--store", store], environment: ["JOURNEY_USER": "bob"]).status == 0)
        #expect(try CommandRunner.journey(["import-esm", Self.root + "/examples/esm-export", "--mapping", Self.root + "/examples/esm-mapping.json",
                                           "--store", store, "--by", "coder"]).status == 0)
        #expect(try CommandRunner.journey(["dump", "--out", dir.path + "/dump", "--format", "csv,jsonl", "--upto", "17", "--store", store, "--by", "carol"]).status == 0)
        #expect(try CommandRunner.journey(["dump", "--check", dir.path + "/dump", "--store", store, "--by", "carol"]).status == 0)
        #expect(try CommandRunner.journey(["report", "--out", dir.path + "/report", "--store", store, "--by", "dave"]).status == 0)
        // Reading commands are not recorded.
        #expect(try CommandRunner.journey(["stats", "--store", store]).status == 0)

        let json = try CommandRunner.journey(["audit", "--format", "json", "--store", store])
        #expect(json.status == 0, "\(json.stderr)")
        let entries = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(entries.map { $0["action"] as? String ?? "" } == ["import", "import", "export", "import-esm", "dump", "dump-check", "report"])
        #expect(entries.map { $0["by"] as? String ?? "" } == ["alice", "alice", "bob", "coder", "carol", "carol", "dave"])
        #expect(entries.map { $0["seq"] as? Int ?? 0 } == Array(1...7))
        #expect(entries.map { $0["logHead"] as? Int ?? -1 } == [17, 17, 17, 60, 60, 60, 60])
        let details = entries.map { $0["detail"] as? [String: String] ?? [:] }
        #expect(details[0]["outcome"] == "appended" && details[0]["seqs"] == "1-17")
        #expect(details[1]["outcome"] == "rejected" && details[1]["badLines"] == "1")
        #expect(details[2]["participant"] == "P02" && details[2]["events"] == "5")
        #expect(details[4]["upto"] == "17" && details[4]["formats"] == "csv,jsonl")
        #expect(details[5]["outcome"] == "matches")
        for e in entries { #expect((e["at"] as? String)?.hasSuffix("Z") == true && (e["hash"] as? String)?.count == 64) }
        let text = try CommandRunner.journey(["audit", "--store", store]).stdout
        #expect(text.contains("alice") && text.contains("import-esm"))

        // journey verify checks the trail's chain; an altered entry is found.
        var verify = try CommandRunner.journey(["verify", "--store", store])
        #expect(verify.stdout.contains("audit trail: 7 entries chained"), "\(verify.stdout)\(verify.stderr)")
        let tamper = try CommandRunner.run("/usr/bin/env", ["python3", "-c", """
            import lmdb, sys
            env = lmdb.open(sys.argv[1], max_dbs=16)
            db = env.open_db(b"audit")
            with env.begin(write=True, db=db) as txn:
                key = (3).to_bytes(8, "big")
                txn.put(key, txn.get(key).replace(b'"bob"', b'"eve"'))
            """, store])
        #expect(tamper.status == 0, "\(tamper.stderr)")
        verify = try CommandRunner.journey(["verify", "--store", store])
        #expect(verify.status != 0)
        #expect(verify.stderr.contains("audit entry 3 was altered"))
    }

    @Test func theStoreIsPrivateToItsOwner() throws {
        let dir = try Scratch()
        let store = dir.path + "/store"
        #expect(try CommandRunner.journey(["import", Self.root + "/examples/journey-example.jsonl", "--store", store]).status == 0)
        #expect(try CommandRunner.journey(["report", "--out", dir.path + "/report", "--store", store]).status == 0)
        func mode(_ path: String) throws -> Int { try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? -1 }
        #expect(try mode(store) == 0o700)
        for name in try FileManager.default.contentsOfDirectory(atPath: store) { #expect(try mode(store + "/" + name) == 0o600, "\(name)") }
        #expect(try mode(dir.path + "/report") == 0o700)
        #expect(try mode(dir.path + "/report/participants") == 0o700)
        #expect(try mode(dir.path + "/report/index.html") == 0o600)
        #expect(try mode(dir.path + "/report/participants/P01.html") == 0o600)
    }
}
