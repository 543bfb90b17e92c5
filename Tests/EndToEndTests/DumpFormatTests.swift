import Foundation
import Testing

/// `journey dump` in every format, checked by third-party readers (frictionless, sqlite3, DuckDB,
/// pyreadstat) through `tools/check_dump.py`, plus manifests, `--check` and `--exclude-withdrawn`.
@Suite(.serialized)
struct DumpFormatTests {
    static let fixtures = CommandRunner.packageRoot + "/Tests/EndToEndTests/Fixtures"
    static let checker = CommandRunner.packageRoot + "/tools/check_dump.py"
    /// W's latest exit is withdrew; R withdrew and came back (a later exit, study-ended); S never left.
    static let withdrawals = """
        {"id":"k-pol","type":"institution.coded","at":"2023-01-01","source":"manual","data":{"institution":"pol","name":"Police","categories":["legal.criminal.enforcement"],"levels":["regional"]}}
        {"id":"W-c1","type":"contact","participant":"W","at":"2023-02-01","source":"esm","data":{"institution":"pol"}}
        {"id":"W-x","type":"participant.exited","participant":"W","at":"2023-03-01","source":"manual","data":{"reason":"withdrew"}}
        {"id":"R-c1","type":"contact","participant":"R","at":"2023-02-01","source":"esm","data":{"institution":"pol"}}
        {"id":"R-x1","type":"participant.exited","participant":"R","at":"2023-03-01","source":"manual","data":{"reason":"withdrew"}}
        {"id":"R-x2","type":"participant.exited","participant":"R","at":"2023-04-01","source":"manual","data":{"reason":"study-ended"}}
        {"id":"S-c1","type":"contact","participant":"S","at":"2023-02-01","source":"esm","data":{"institution":"pol"}}

        """

    private func store(_ dir: Scratch, _ file: String = fixtures + "/cohort.jsonl") throws -> String {
        let store = dir.path + "/store"
        let r = try CommandRunner.journey(["import", file, "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        return store
    }

    private func manifest(_ dir: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/manifest.json"))) as? [String: Any])
    }

    private func hashes(_ dir: String) throws -> [String: String] {
        let files = try #require(try manifest(dir)["files"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: files.map { ($0["path"] as? String ?? "", $0["sha256"] as? String ?? "") })
    }

    @Test(arguments: ["en", "nl"])
    func everyFormatHoldsWhatTheCSVsHoldForThirdPartyReaders(labels: String) throws {
        let dir = try Scratch()
        let store = try store(dir)
        let out = dir.path + "/dump"
        let r = try CommandRunner.journey(["dump", "--out", out, "--format", "all", "--labels", labels, "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("78 files for 3 participants"))
        let check = try CommandRunner.run("/usr/bin/env", ["python3", Self.checker, out, "--labels", labels])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("dta: every table equals its CSV"))
        // Every file of a dump is private to its owner.
        for name in try FileManager.default.contentsOfDirectory(atPath: out) {
            let mode = try FileManager.default.attributesOfItem(atPath: out + "/" + name)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(name)")
        }
    }

    @Test func theCheckerFindsAFileThatDoesNotHoldWhatTheCSVHolds() throws {
        let dir = try Scratch()
        let store = try store(dir)
        let out = dir.path + "/dump"
        #expect(try CommandRunner.journey(["dump", "--out", out, "--format", "csv,jsonl,sqlite", "--format", "spss,stata", "--store", store]).status == 0)
        let jsonl = try String(contentsOfFile: out + "/timeline.jsonl", encoding: .utf8)
        try jsonl.replacingOccurrences(of: "\"seq\":7,", with: "\"seq\":70,").write(toFile: out + "/timeline.jsonl", atomically: true, encoding: .utf8)
        let check = try CommandRunner.run("/usr/bin/env", ["python3", Self.checker, out])
        #expect(check.status == 1)
        #expect(check.stderr.contains("timeline.jsonl: values differ from timeline.csv"))
    }

    @Test func theSameLogGivesByteIdenticalFilesAndTheManifestSaysWhichLog() throws {
        let dir = try Scratch()
        let store = try store(dir)
        #expect(try CommandRunner.journey(["dump", "--out", dir.path + "/a", "--format", "all", "--store", store]).status == 0)
        // More events later; a dump up to the same position is the same, byte for byte.
        let later = dir.path + "/later.jsonl"
        try #"{"id":"D-enrol","type":"participant.enrolled","participant":"D","at":"2023-06-01","source":"manual","data":{}}"#
            .appending("\n").write(toFile: later, atomically: true, encoding: .utf8)
        #expect(try CommandRunner.journey(["import", later, "--store", store]).status == 0)
        #expect(try CommandRunner.journey(["dump", "--out", dir.path + "/b", "--format", "all", "--upto", "24", "--store", store]).status == 0)
        let a = try hashes(dir.path + "/a"), b = try hashes(dir.path + "/b")
        #expect(a.count == 77)
        #expect(a == b)
        for name in a.keys where name.hasSuffix(".csv") || name.hasSuffix(".jsonl") {
            #expect(FileManager.default.contentsEqual(atPath: dir.path + "/a/" + name, andPath: dir.path + "/b/" + name), "\(name)")
        }
        let m = try manifest(dir.path + "/b")
        let log = try #require(m["log"] as? [String: Any])
        #expect(log["upto"] as? Int == 24)
        #expect(log["storeHead"] as? Int == 25)
        #expect((log["hash"] as? String)?.count == 64)
        #expect((m["commandLine"] as? [String])?.contains("--upto") == true)
        // The hash at seq 24 is the one `journey export` shows for that event.
        let export = try CommandRunner.journey(["export", "--upto", "24", "--store", store]).stdout
        let last = try #require(export.split(separator: "\n").last)
        #expect(last.contains(#""hash":"\#(log["hash"] as? String ?? "?")""#))
    }

    @Test func checkSaysWhetherADumpStillMatchesTheStore() throws {
        let dir = try Scratch()
        let store = try store(dir)
        let out = dir.path + "/dump"
        #expect(try CommandRunner.journey(["dump", "--out", out, "--format", "csv,sqlite,stata", "--store", store]).status == 0)
        var r = try CommandRunner.journey(["dump", "--check", out, "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("matches the store (log up to seq 24, 39 files)"))

        // Later imports do not change what the dump reflects.
        let later = dir.path + "/later.jsonl"
        try #"{"id":"A-late","type":"contact","participant":"A","at":"2023-06-01","source":"manual","data":{"institution":"pol"}}"#
            .appending("\n").write(toFile: later, atomically: true, encoding: .utf8)
        #expect(try CommandRunner.journey(["import", later, "--store", store]).status == 0)
        r = try CommandRunner.journey(["dump", "--check", out, "--store", store])
        #expect(r.status == 0, "\(r.stderr)")

        // An edited file, a missing one.
        let csv = try String(contentsOfFile: out + "/participants.csv", encoding: .utf8)
        try csv.replacingOccurrences(of: "A,", with: "Z,").write(toFile: out + "/participants.csv", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: out + "/pairs.dta")
        r = try CommandRunner.journey(["dump", "--check", out, "--store", store])
        #expect(r.status != 0)
        #expect(r.stderr.contains("participants.csv: changed since the dump"))
        #expect(r.stderr.contains("pairs.dta: missing"))
        #expect(r.stderr.contains("does not match (2 problems)"))

        // A store whose log differs from the one dumped.
        let other = try Scratch()
        let otherStore = try self.store(other, Self.fixtures + "/../../../examples/journey-example.jsonl")
        r = try CommandRunner.journey(["dump", "--check", dir.path + "/dump", "--store", otherStore])
        #expect(r.status != 0)
        #expect(r.stderr.contains("differs from the one dumped") || r.stderr.contains("ends before seq 24"))

        // Not a dump at all.
        r = try CommandRunner.journey(["dump", "--check", dir.path, "--store", store])
        #expect(r.status != 0)
        #expect(r.stderr.contains("no manifest here"))
    }

    /// The software's version is in `journey --version`, the manifest, the data package and the
    /// audit entry of the dump; the data package names its resources as its files and tables and
    /// carries the study's title, licence and contributors, which `dump --check` writes again.
    @Test func theDumpSaysWhichSoftwareAndStudyItIs() throws {
        let dir = try Scratch()
        let store = try store(dir)
        let version = try CommandRunner.journey(["--version"])
        #expect(version.status == 0)
        let software = version.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(software.hasPrefix("journey ") && software.count > 8)

        let out = dir.path + "/dump"
        let r = try CommandRunner.journey(["dump", "--out", out, "--store", store, "--by", "hanne", "--title", "Journeys, wave 1",
                                           "--license", "CC-BY-4.0", "--contributor", "Janne:author", "--contributor", "Team"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try manifest(out)["software"] as? String == software)
        let package = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/datapackage.json"))) as? [String: Any])
        #expect(package["title"] as? String == "Journeys, wave 1")
        #expect(package["x-software"] as? String == software)
        #expect((package["licenses"] as? [[String: String]])?.first?["name"] == "CC-BY-4.0")
        let contributors = try #require(package["contributors"] as? [[String: String]])
        #expect(contributors == [["title": "Janne", "role": "author"], ["title": "Team", "role": "contributor"]])
        let resources = try #require(package["resources"] as? [[String: Any]])
        for resource in resources {
            #expect((resource["name"] as? String).map { $0 + ".csv" } == resource["path"] as? String)
        }
        #expect(resources.count == 18)
        // The same log dumps to the same data package: its `created` is the time of the log, not the clock's.
        let check = try CommandRunner.journey(["dump", "--check", out, "--store", store])
        #expect(check.status == 0, "\(check.stdout) \(check.stderr)")
        let audit = try CommandRunner.journey(["audit", "--store", store, "--format", "json"])
        #expect(audit.stdout.contains("\"software\" : \"\(software)\"") || audit.stdout.contains("\"software\":\"\(software)\""), "\(audit.stdout.suffix(400))")

        // Without options: not open data, published by whoever dumped.
        let plain = dir.path + "/plain"
        #expect(try CommandRunner.journey(["dump", "--out", plain, "--store", store, "--by", "hanne"]).status == 0)
        let defaults = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: plain + "/datapackage.json"))) as? [String: Any])
        #expect((defaults["licenses"] as? [[String: String]])?.first?["name"] == "other-closed")
        #expect(defaults["contributors"] as? [[String: String]] == [["title": "hanne", "role": "publisher"]])
        #expect(try CommandRunner.journey(["dump", "--out", plain, "--store", store, "--license", "not a licence"]).status != 0)
    }

    /// An institution's kind (contract 4.2) from its current coding is a coded column of
    /// institutions.csv, labelled in English and Dutch in every format.
    @Test func theKindOfAnOrganisationReachesEveryFormat() throws {
        let dir = try Scratch()
        let file = dir.path + "/kinds.jsonl"
        try """
            {"id":"k-ggz","type":"institution.coded","at":"2023-01-01","source":"manual","data":{"institution":"ggz","name":"GGZ Noord","categories":["help.formal.health"],"levels":["regional"],"kind":"mental-health"}}
            {"id":"k-gp","type":"institution.coded","at":"2023-01-01","source":"manual","data":{"institution":"gp","name":"GP","categories":["help.formal.health"],"levels":["local"]}}
            {"id":"P-c1","type":"contact","participant":"P","at":"2023-02-01","source":"esm","data":{"institution":"ggz"}}
            {"id":"P-c2","type":"contact","participant":"P","at":"2023-02-02","source":"esm","data":{"institution":"gp"}}

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let store = try store(dir, file)
        for labels in ["en", "nl"] {
            let out = dir.path + "/dump-" + labels
            let r = try CommandRunner.journey(["dump", "--out", out, "--format", "all", "--labels", labels, "--store", store])
            #expect(r.status == 0, "\(r.stderr)")
            let institutions = try String(contentsOfFile: out + "/institutions.csv", encoding: .utf8)
            #expect(institutions.contains("\r\nggz,GGZ Noord,help,help.formal.health,regional,regional,1,1,mental-health,,false\r\n"))
            #expect(institutions.contains("\r\ngp,GP,help,help.formal.health,local,regional,1,1,,,false\r\n"))
            #expect(try String(contentsOfFile: out + "/participant_kinds.csv", encoding: .utf8) == "participant,kind,institutions\r\nP,mental-health,1\r\n")
            let check = try CommandRunner.run("/usr/bin/env", ["python3", Self.checker, out, "--labels", labels])
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        }
        // stats.json (contract 4.5): institutions per kind, uncoded included, summing to the
        // institutions; participants per kind; `journey stats` prints the same.
        let stats = try json(["stats", "--format", "json", "--store", store])
        let byKind = try #require(stats["byKind"] as? [String: Int])
        #expect(byKind["mental-health"] == 1 && byKind["uncoded"] == 1 && byKind.values.reduce(0, +) == stats["institutions"] as? Int)
        #expect(byKind.count == 27)
        #expect((stats["participantsByKind"] as? [String: Int])?["mental-health"] == 1)
        let text = try CommandRunner.journey(["stats", "--store", store]).stdout
        #expect(text.contains("Mental health care (GGZ)") && text.contains("not given"))
    }

    private func json(_ arguments: [String]) throws -> [String: Any] {
        let r = try CommandRunner.journey(arguments)
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    /// Narrative texts leave the store only on request: `--free-text` adds `texts.csv` (every
    /// experience summary, as written, also one with a comma, a quote and a line break) in every
    /// format asked for; without it no file holds them. The data package marks every column that
    /// can hold text a person wrote.
    @Test func narrativeTextsAreDumpedOnlyOnRequest() throws {
        let dir = try Scratch()
        let file = dir.path + "/texts.jsonl"
        try """
            {"id":"P-x1","type":"experience","participant":"P","at":"2023-02-02","source":"esm","data":{"institution":"gp","contactOn":"2023-02-01","summary":"She listened, \\"really\\".\\nThen: nothing.","statements":{"listened":4}}}
            {"id":"P-x2","type":"experience","participant":"P","at":"2023-02-03","source":"esm","data":{"institution":"gp","contactOn":"2023-02-03","statements":{"listened":2}}}
            {"id":"Q-x1","type":"experience","participant":"Q","at":"2023-02-04","source":"esm","data":{"institution":"pol","contactOn":"2023-02-04","summary":"Short","statements":{}}}

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let store = try store(dir, file)
        let plain = dir.path + "/plain"
        #expect(try CommandRunner.journey(["dump", "--out", plain, "--format", "all", "--store", store]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: plain + "/texts.csv"))
        for name in try FileManager.default.contentsOfDirectory(atPath: plain) where name.hasSuffix(".csv") || name.hasSuffix(".jsonl") {
            #expect(!(try String(contentsOfFile: plain + "/" + name, encoding: .utf8)).contains("Short"), "\(name)")
        }

        let out = dir.path + "/texts"
        let r = try CommandRunner.journey(["dump", "--out", out, "--format", "all", "--free-text", "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        let texts = try String(contentsOfFile: out + "/texts.csv", encoding: .utf8)
        #expect(texts == "participant,event_id,field,text\r\nP,P-x1,summary,\"She listened, \"\"really\"\".\nThen: nothing.\"\r\nQ,Q-x1,summary,Short\r\n")
        for ext in [".jsonl", ".sav", ".dta"] { #expect(FileManager.default.fileExists(atPath: out + "/texts" + ext), "\(ext)") }
        let check = try CommandRunner.run("/usr/bin/env", ["python3", Self.checker, out])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(try CommandRunner.journey(["dump", "--check", out, "--store", store]).status == 0)
        let package = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/datapackage.json"))) as? [String: Any])
        var marked: [String] = []
        for resource in try #require(package["resources"] as? [[String: Any]]) {
            for field in (resource["schema"] as? [String: Any])?["fields"] as? [[String: Any]] ?? [] where field["x-free-text"] as? Bool == true {
                marked.append("\(resource["name"] ?? "").\(field["name"] ?? "")")
            }
        }
        #expect(marked == ["participants.age_band", "institutions.name", "institutions.coders", "timeline.detail", "timeline.role", "timeline.reason",
                           "timeline.by", "referrals.reason", "needs.need", "covariates.label", "covariates.label_nl", "codings.by", "agreement.coders",
                           "texts.text"])
    }

    /// Withdrawal is one rule for every cohort command (contract 4.4): with --exclude-withdrawn,
    /// stats, pairs, referrals, compliance, the report and the dump all leave out the participant
    /// whose latest exit is withdrew (W), and keep one who withdrew and came back (R); without
    /// it, all count everyone.
    @Test func withdrawalIsOneRuleForEveryCohortCommand() throws {
        let dir = try Scratch()
        let file = dir.path + "/withdrawal.jsonl"
        try (Self.withdrawals + """
            {"id":"W-r1","type":"referral","participant":"W","at":"2023-02-02","source":"esm","data":{"from":"pol","to":"shn","outcome":"refused"}}
            {"id":"W-e1","type":"expectation","participant":"W","at":"2023-02-01","source":"esm","data":{"institution":"pol","plannedFor":"2023-02-01","statements":{"listened":3}}}
            {"id":"W-s1","type":"esm.session","participant":"W","at":"2023-02-01T10:00:00+01:00","source":"esm","data":{"questionnaire":"q","kind":"basic","status":"completed","prompted":"2023-02-01T10:00:00+01:00"}}

            """).write(toFile: file, atomically: true, encoding: .utf8)
        let store = try store(dir, file)
        for exclude in [false, true] {
            let flag = exclude ? ["--exclude-withdrawn"] : []
            func json(_ command: [String]) throws -> String {
                let r = try CommandRunner.journey(command + ["--store", store, "--format", "json"] + flag)
                #expect(r.status == 0, "\(command): \(r.stderr)")
                return r.stdout
            }
            let stats = try json(["stats"])
            #expect(stats.contains("\"participants\": \(exclude ? 2 : 3)"), "\(stats.prefix(300))")
            #expect(try json(["pairs"]).contains("W-e1") != exclude)
            #expect(try json(["referrals"]).contains("W-r1") != exclude)
            #expect(try json(["compliance"]).contains("\"W\"") != exclude)
            let report = dir.path + "/report-\(exclude)"
            #expect(try CommandRunner.journey(["report", "--out", report, "--store", store] + flag).status == 0)
            let pages = try FileManager.default.contentsOfDirectory(atPath: report + "/participants").sorted()
            #expect(pages == (exclude ? ["R.html", "S.html"] : ["R.html", "S.html", "W.html"]))
            let dump = dir.path + "/dump-\(exclude)"
            #expect(try CommandRunner.journey(["dump", "--out", dump, "--store", store] + flag).status == 0)
            let rows = try String(contentsOfFile: dump + "/participants.csv", encoding: .utf8).split(separator: "\r\n").count - 1
            #expect(rows == (exclude ? 2 : 3))
        }
    }

    @Test func excludeWithdrawnLeavesOutParticipantsWhoseLatestExitIsWithdrew() throws {
        let dir = try Scratch()
        let file = dir.path + "/withdrawal.jsonl"
        try Self.withdrawals.write(toFile: file, atomically: true, encoding: .utf8)
        let store = try store(dir, file)
        let out = dir.path + "/dump"
        let r = try CommandRunner.journey(["dump", "--out", out, "--exclude-withdrawn", "--format", "csv,jsonl", "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("for 2 participants"))
        #expect(r.stdout.contains("1 withdrawn participant left out"))
        let participants = try String(contentsOfFile: out + "/participants.csv", encoding: .utf8)
        #expect(participants.contains("\r\nR,"))
        #expect(participants.contains("\r\nS,"))
        #expect(!participants.contains("\r\nW,"))
        #expect(!(try String(contentsOfFile: out + "/timeline.jsonl", encoding: .utf8)).contains("\"W\""))
        #expect(try String(contentsOfFile: out + "/institutions.csv", encoding: .utf8).contains("pol,Police,legal,legal.criminal.enforcement,regional,regional,2,2"))
        let counts = try #require(try manifest(out)["participants"] as? [String: Any])
        #expect(counts["included"] as? Int == 2)
        #expect(counts["excludedWithdrawn"] as? Int == 1)
        let stats = try String(contentsOfFile: out + "/stats.json", encoding: .utf8)
        #expect(stats.contains("\"participants\": 2"))
    }

    @Test func badRequestsSayWhatIsWrongAndWriteNothing() throws {
        let dir = try Scratch()
        let store = try store(dir)
        var r = try CommandRunner.journey(["dump", "--out", dir.path + "/x", "--format", "excel", "--store", store])
        #expect(r.status != 0)
        #expect(r.stderr.contains("unknown format 'excel'"))
        r = try CommandRunner.journey(["dump", "--store", store])
        #expect(r.status != 0)
        #expect(r.stderr.contains("give --out DIR"))
        r = try CommandRunner.journey(["dump", "--out", dir.path + "/x", "--labels", "fr", "--store", store])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--labels must be en or nl"))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/x"))

        // A directory where a file of the dump belongs: nothing is replaced, nothing left behind.
        let out = dir.path + "/dump"
        try FileManager.default.createDirectory(atPath: out + "/timeline.csv", withIntermediateDirectories: true)
        r = try CommandRunner.journey(["dump", "--out", out, "--store", store])
        #expect(r.status != 0)
        #expect(r.stderr.contains("timeline.csv: is a directory"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["timeline.csv"])
    }

    @Test func anEarlierDumpsFilesOfOtherFormatsAreRemovedNotLeftStale() throws {
        let dir = try Scratch()
        let store = try store(dir)
        let out = dir.path + "/dump"
        #expect(try CommandRunner.journey(["dump", "--out", out, "--format", "all", "--store", store]).status == 0)
        #expect(try CommandRunner.journey(["dump", "--out", out, "--format", "jsonl", "--store", store]).status == 0)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: out))
        #expect(names == Set(["manifest.json", "stats.json"] + ["participants", "institutions", "institution_categories", "timeline", "pairs", "pair_items", "referrals", "referral_network", "compliance", "participant_kinds", "episodes", "professionals", "statements", "needs", "covariates", "codings", "agreement", "compliance_kinds"].map { $0 + ".jsonl" }))
    }
}
