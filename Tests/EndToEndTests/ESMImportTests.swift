import Foundation
import Testing

/// `journey import-esm` and `journey compliance`, run as a user would on the synthetic sample
/// export in `examples/esm-export/` and broken copies of it.
@Suite(.serialized)
struct ESMImportTests {
    static let root = CommandRunner.packageRoot
    static let export = root + "/examples/esm-export"
    static let mapping = root + "/examples/esm-mapping.json"

    private func storeWithExamples(_ dir: Scratch) throws -> String {
        let store = dir.path + "/store"
        #expect(try CommandRunner.journey(["import", Self.root + "/examples/journey-example.jsonl", "--store", store]).status == 0)
        return store
    }

    /// A copy of the sample export to break.
    private func copyOfExport(_ dir: Scratch) throws -> String {
        let copy = dir.path + "/export"
        try FileManager.default.copyItem(atPath: Self.export, toPath: copy)
        return copy
    }

    private func exportText(_ store: String) throws -> String { try CommandRunner.journey(["export", "--store", store]).stdout }

    /// The shipped examples speak of the same statement items as the app's mapping, so the
    /// hand-entered expectations and the app's experiences pair item by item (the example used
    /// `listens` / `takes-seriously`, and those deltas never formed).
    @Test func theExamplesStatementItemsAreTheAppMappingsItems() throws {
        let mapping = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.mapping))) as? [String: Any])
        let questionnaires = try #require(mapping["questionnaires"] as? [[String: Any]])
        let appItems = Set(questionnaires.flatMap { ($0["statements"] as? [String: String])?.keys.map { $0 } ?? [] })
        #expect(appItems.contains("listened"))
        var exampleItems = Set<String>()
        let example = try String(contentsOfFile: Self.root + "/examples/journey-example.jsonl", encoding: .utf8)
        for line in example.split(separator: "\n") {
            let event = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            if let statements = (event["data"] as? [String: Any])?["statements"] as? [String: Any] { exampleItems.formUnion(statements.keys) }
        }
        #expect(!exampleItems.isEmpty)
        #expect(exampleItems.isSubset(of: appItems), "items the app does not ask: \(exampleItems.subtracting(appItems).sorted())")
    }

    @Test func theSampleExportImportsOnceWithSessionsAnswersAndDeterministicIds() throws {
        let dir = try Scratch()
        let store = try storeWithExamples(dir)
        var r = try CommandRunner.journey(["import-esm", Self.export, "--mapping", Self.mapping, "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("28 sessions, 43 events: appended 43 (seq 18-60), 0 duplicates skipped"))
        r = try CommandRunner.journey(["import-esm", Self.export, "--mapping", Self.mapping, "--store", store])
        #expect(r.status == 0)
        #expect(r.stdout.contains("appended 0, 43 duplicates skipped"))
        #expect(try CommandRunner.journey(["verify", "--store", store]).status == 0)
        // Every event the import made is valid against Schemas/event.schema.json.
        let exported = dir.path + "/exported.jsonl"
        try exportText(store).write(toFile: exported, atomically: true, encoding: .utf8)
        let schema = try CommandRunner.run("/usr/bin/env", ["python3", Self.root + "/tools/check_schema.py", exported])
        #expect(schema.status == 0, "\(schema.stdout)\(schema.stderr)")

        let lines = try exportText(store).split(separator: "\n").map(String.init)
        // A missed prompt is in the data.
        #expect(lines.contains { $0.contains(#""id":"esm:P01:Wekelijkse_vragenlijst:20230514083000""#) && $0.contains(#""status":"expired""#) })
        // An answered retrospective questionnaire: the session, the contact and the experience, the
        // organisation resolved through its alias, the blank item left out, the app's timestamps in
        // RFC 3339 with the offset they had in Amsterdam (summer time).
        let experience = try #require(lines.first { $0.contains(#""id":"esm:P01:Na_het_contact:20230604085000:experience""#) })
        #expect(experience.contains(#""institution":"police-amsterdam","contactOn":"2023-05-31","summary":"Goed gesprek","statements":{"listened":1,"took-seriously":5}"#))
        #expect(experience.contains(#""at":"2023-06-04T12:13:04.755000+02:00""#))
        #expect(lines.contains { $0.contains(#""id":"esm:P01:Na_het_contact:20230604085000:contact""#) && $0.contains(#""at":"2023-05-31""#) })
        let expectation = try #require(lines.first { $0.contains(#""type":"expectation""#) && $0.contains("esm:") })
        #expect(expectation.contains(#""cameVia":"#))
        // The same export as a .zip and as one .csv (with a mapping for that file alone) gives the same ids.
        let zip = dir.path + "/export.zip"
        let zipped = try CommandRunner.run("/usr/bin/env", ["python3", "-c",
            "import sys, zipfile, os; z = zipfile.ZipFile(sys.argv[2], 'w'); [z.write(os.path.join(sys.argv[1], f), 'export/' + f) for f in sorted(os.listdir(sys.argv[1]))]",
            Self.export, zip])
        #expect(zipped.status == 0, "\(zipped.stderr)")
        let store2 = dir.path + "/store2"
        r = try CommandRunner.journey(["import-esm", zip, "--mapping", Self.mapping, "--store", store2])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("28 sessions, 43 events: appended 43"))
        let idsA = lines.compactMap { line in line.range(of: #""id":"esm:[^"]*""#, options: .regularExpression).map { String(line[$0]) } }.sorted()
        let idsB = try exportText(store2).split(separator: "\n").compactMap { line in
            line.range(of: #""id":"esm:[^"]*""#, options: .regularExpression).map { String(line[$0]) }
        }.sorted()
        #expect(idsA.count == 43)
        #expect(idsA == idsB)

        let mapping = try String(contentsOfFile: Self.mapping, encoding: .utf8)
        let single = dir.path + "/basic-only.json"
        let start = try #require(mapping.range(of: #"    {"#, options: [], range: mapping.range(of: "\"questionnaires\"")!.upperBound..<mapping.endIndex))
        let basicOnly = String(mapping[..<start.lowerBound]) + #"    {"file": "Wekelijkse vragenlijst.csv", "kind": "basic", "ignored": ["Session", "Contact met organisatie vorige week?", "Contact met organisatie volgende week?"]}]}"# + "\n"
        try basicOnly.write(toFile: single, atomically: true, encoding: .utf8)
        r = try CommandRunner.journey(["import-esm", Self.export + "/Wekelijkse vragenlijst.csv", "--mapping", single, "--store", dir.path + "/store3"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("16 sessions, 16 events: appended 16"))
    }

    @Test func complianceCountsPromptsPerParticipantAndWeek() throws {
        let dir = try Scratch()
        let store = try storeWithExamples(dir)
        #expect(try CommandRunner.journey(["import-esm", Self.export, "--mapping", Self.mapping, "--store", store]).status == 0)
        let json = try CommandRunner.journey(["compliance", "--participant", "P01", "--format", "json", "--store", store])
        #expect(json.status == 0, "\(json.stderr)")
        let weeks = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(weeks.count == 8)
        // Hand-checked against the sample: week 19 (Sunday 14 May 2023) had one basic prompt, expired.
        #expect(weeks[0]["week"] as? String == "2023-W19")
        #expect(weeks[0]["weekStart"] as? String == "2023-05-08")
        #expect(weeks[0]["prompts"] as? Int == 1 && weeks[0]["expired"] as? Int == 1 && weeks[0]["answered"] as? Int == 0)
        #expect(weeks[0]["medianLatencyMinutes"] == nil || weeks[0]["medianLatencyMinutes"] is NSNull)
        // Week 20 (21 May): the basic prompt at 08:30:00 answered at 10:36:12.1 (126.2 min), the
        // retrospective one at 08:50:01 expired.
        #expect(weeks[1]["week"] as? String == "2023-W20")
        #expect(weeks[1]["prompts"] as? Int == 2 && weeks[1]["answered"] as? Int == 1 && weeks[1]["expired"] as? Int == 1)
        #expect(weeks[1]["responseRate"] as? Double == 0.5)
        #expect(weeks[1]["medianLatencyMinutes"] as? Double == 126.2)
        // Week 23 (4 June... 11 June): a prospective prompt canceled is missed.
        let missed = weeks.map { $0["missed"] as? Int ?? 0 }.reduce(0, +)
        #expect(missed == 1)
        let text = try CommandRunner.journey(["compliance", "--store", store]).stdout
        #expect(text.contains("28 prompts to 2 participants over 16 participant-weeks: 22 answered (79%), 5 expired, 1 missed"))
        // The dump's compliance.csv holds the same.
        let out = dir.path + "/dump"
        #expect(try CommandRunner.journey(["dump", "--out", out, "--store", store]).status == 0)
        let csv = try String(contentsOfFile: out + "/compliance.csv", encoding: .utf8)
        #expect(csv.contains("\r\nP01,2023-W19,2023-05-08,1,0,1,0,0,,,,,\r\nP01,2023-W20,2023-05-15,2,1,1,0,0.5,126.2,true,false,false,false\r\n"), "\(csv)")
        // Per questionnaire kind (issue 21 point 4): week 20's basic prompt answered after 126.2
        // minutes, its retrospective one expired; week 23's prospective one canceled (missed).
        let kinds = try String(contentsOfFile: out + "/compliance_kinds.csv", encoding: .utf8)
        #expect(kinds.contains("\r\nP01,2023-W20,basic,1,1,0,0,1,126.2\r\nP01,2023-W20,retrospective,1,0,1,0,0,\r\n"), "\(kinds)")
        #expect(kinds.contains("\r\nP01,2023-W23,prospective,1,0,0,1,0,\r\n"), "\(kinds)")
        #expect(text.contains("  basic          16 prompts, 14 answered (88%), 2 expired, 0 missed"), "\(text)")
    }

    /// Issue 21, point 1: every answer is kept or deliberately ignored (an unmapped column is an
    /// error naming file and column); other questions keep their answers in the session; the
    /// weekly yes/no answers meet the contacts recorded (hand-checked against the sample: P01's
    /// prompt of Sunday 21 May reports a contact in 14-20 May, none is recorded; the one of 4 June
    /// reports one in 28 May - 3 June, and the contact of 31 May is there).
    @Test func everyAnswerIsKeptAndTheWeeklyReportMeetsTheRecordedContacts() throws {
        let dir = try Scratch()
        // A mapping that forgets the basic questionnaire's "Session" column is refused.
        var mapping = try String(contentsOfFile: Self.mapping, encoding: .utf8)
        let forgetful = dir.path + "/forgetful.json"
        try mapping.replacingOccurrences(of: #""file": "Wekelijkse vragenlijst.csv",\#n      "kind": "basic",\#n      "ignored": [\#n        "Session"\#n      ],"#,
                                         with: #""file": "Wekelijkse vragenlijst.csv",\#n      "kind": "basic","#)
            .write(toFile: forgetful, atomically: true, encoding: .utf8)
        try expectRejected({ _ in }, mapping: forgetful, [#"Wekelijkse vragenlijst.csv: column "Session" is not in the mapping"#])
        // Mapped as a question, the column's answers are kept in the answered sessions.
        mapping = mapping.replacingOccurrences(of: #""file": "Wekelijkse vragenlijst.csv",\#n      "kind": "basic",\#n      "ignored": [\#n        "Session"\#n      ],"#,
                                               with: #""file": "Wekelijkse vragenlijst.csv",\#n      "kind": "basic",\#n      "questions": {"appSession": "Session"},"#)
        let keeping = dir.path + "/keeping.json"
        try mapping.write(toFile: keeping, atomically: true, encoding: .utf8)
        let store = dir.path + "/store"
        let r = try CommandRunner.journey(["import-esm", Self.export, "--mapping", keeping, "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        let export = try exportText(store)
        #expect(export.contains(#""contactLastWeek":true,"contactNextWeek":false,"answers":{"appSession":"2"}"#), "\(export)")
        // A session not answered keeps no answers.
        let expired = try #require(export.split(separator: "\n").first { $0.contains(#""id":"esm:P01:Wekelijkse_vragenlijst:20230514083000""#) })
        #expect(expired.contains(#""status":"expired""#) && !expired.contains("answers") && !expired.contains("contactLastWeek"))
        let json = try CommandRunner.journey(["compliance", "--participant", "P01", "--format", "json", "--store", store])
        let weeks = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let w20 = try #require(weeks.first { $0["week"] as? String == "2023-W20" })
        #expect(w20["reportedContactLastWeek"] as? Bool == true && w20["recordedContactLastWeek"] as? Bool == false)
        let w22 = try #require(weeks.first { $0["week"] as? String == "2023-W22" })
        #expect(w22["reportedContactLastWeek"] as? Bool == true && w22["recordedContactLastWeek"] as? Bool == true)
        let text = try CommandRunner.journey(["compliance", "--store", store]).stdout
        #expect(text.contains("Weekly reports of a contact last week that agree with the contacts recorded: 11 of 14 (3 reported but not recorded, 0 recorded but not reported)."), "\(text)")
        // A yes/no answer the mapping does not know is refused.
        try expectRejected({ try replace($0 + "/Wekelijkse vragenlijst.csv", "Completed,Ja,Nee", "Completed,Misschien,Nee") },
                           [#"column "Contact met organisatie vorige week?": "Misschien" is not a yes or no answer"#])
    }

    /// Issue 21, point 2: an answered route becomes a referral (accepted, source esm, id from the
    /// session: a re-import appends nothing); a referral of the same route entered by hand within
    /// 14 days of the prompt stands for it instead.
    @Test func routesBecomeReferralsUnlessAlreadyEntered() throws {
        let dir = try Scratch()
        let mapping = try String(contentsOfFile: Self.mapping, encoding: .utf8)
            .replacingOccurrences(of: #""file": "Voor het contact.csv","#, with: #""file": "Voor het contact.csv", "routesAsReferrals": true,"#)
        let routes = dir.path + "/routes.json"
        try mapping.write(toFile: routes, atomically: true, encoding: .utf8)
        // P02's prospective questionnaire of 28 May: she went to gp-west on her own ("zelf").
        let store = dir.path + "/store"
        var r = try CommandRunner.journey(["import-esm", Self.export, "--mapping", routes, "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("routes: 1 referral made, 0 already entered"), "\(r.stdout)")
        let referrals = try CommandRunner.journey(["referrals", "--participant", "P02", "--format", "json", "--store", store]).stdout
        #expect(referrals.contains("\"from\" : \"self\"") && referrals.contains("\"to\" : \"gp-west\"") && referrals.contains("accepted"), "\(referrals)")
        r = try CommandRunner.journey(["import-esm", Self.export, "--mapping", routes, "--store", store])
        #expect(r.stdout.contains("appended 0"), "\(r.stdout)")
        // Entered by hand ten days before the prompt: the app's route is not added again.
        let other = dir.path + "/other"
        let hand = try dir.write("hand.jsonl", [#"{"id":"hand-r1","type":"referral","participant":"P02","at":"2023-05-18","source":"intake-interview","data":{"from":"self","to":"gp-west","outcome":"accepted"}}"#])
        #expect(try CommandRunner.journey(["import", hand, "--store", other]).status == 0)
        r = try CommandRunner.journey(["import-esm", Self.export, "--mapping", routes, "--store", other])
        #expect(r.stdout.contains("routes: 0 referrals made, 1 already entered"), "\(r.stdout)")
        // Fifteen days before: a different referral, so the app's is added.
        let far = dir.path + "/far"
        let early = try dir.write("early.jsonl", [#"{"id":"hand-r2","type":"referral","participant":"P02","at":"2023-05-13","source":"intake-interview","data":{"from":"self","to":"gp-west","outcome":"accepted"}}"#])
        #expect(try CommandRunner.journey(["import", early, "--store", far]).status == 0)
        r = try CommandRunner.journey(["import-esm", Self.export, "--mapping", routes, "--store", far])
        #expect(r.stdout.contains("routes: 1 referral made, 0 already entered"), "\(r.stdout)")
    }

    /// Issue 21, point 6: the participants table (app id -> pseudonym) lives in its own file,
    /// named by the mapping or given on the command line; the store never holds an app id.
    @Test func theParticipantsTableLivesOutsideTheStore() throws {
        let dir = try Scratch()
        let export = try copyOfExport(dir)
        for file in try FileManager.default.contentsOfDirectory(atPath: export) where file.hasSuffix(".csv") {
            try replace(export + "/" + file, "\n5001,", "\napp-7781x,")
            try replace(export + "/" + file, "\n5002,", "\napp-7782y,")
        }
        // The mapping without its table; the table as CSV next to it.
        var mapping = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.mapping))) as? [String: Any])
        mapping["participants"] = nil
        mapping["participantsFile"] = "people.csv"
        try JSONSerialization.data(withJSONObject: mapping).write(to: URL(fileURLWithPath: dir.path + "/mapping.json"))
        try "app id,pseudonym\napp-7781x,P01\napp-7782y,P02\n".write(toFile: dir.path + "/people.csv", atomically: true, encoding: .utf8)
        let store = dir.path + "/store"
        var r = try CommandRunner.journey(["import-esm", export, "--mapping", dir.path + "/mapping.json", "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        let exported = try exportText(store)
        #expect(exported.contains(#""participant":"P01""#) && exported.contains(#""participant":"P02""#))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: store + "/data.mdb"))
        #expect(bytes.range(of: Data("app-7781x".utf8)) == nil && bytes.range(of: Data("app-7782y".utf8)) == nil)
        // Given on the command line (JSON), it replaces the mapping's; an id missing from it is named.
        try #"{"app-7781x": "P01"}"#.write(toFile: dir.path + "/some.json", atomically: true, encoding: .utf8)
        r = try CommandRunner.journey(["import-esm", export, "--mapping", dir.path + "/mapping.json", "--participants", dir.path + "/some.json",
                                       "--store", dir.path + "/store2"])
        #expect(r.status != 0 && r.stderr.contains(#"participant id "app-7782y" is not in the mapping's participants"#), "\(r.stderr)")
    }

    /// Issue 21, point 5: the app exports everything so far every week. Importing weeks 1, then
    /// 1-2, then 1-3 appends only what is new; a session whose status changed between exports
    /// (P01's basic questionnaire of 28 May: "In Progress" without answers, then completed with
    /// them) is corrected - the earlier version retracted, the new one appended - never
    /// overwritten in place, and counted once.
    @Test func weeklyReExportsAppendWhatIsNewAndCorrectWhatChanged() throws {
        let dir = try Scratch()
        let full = try copyOfExport(dir)
        var mapping = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.mapping))) as? [String: Any])
        var statuses = try #require(mapping["statuses"] as? [String: String])
        statuses["In Progress"] = "partial"
        mapping["statuses"] = statuses
        let mappingPath = dir.path + "/mapping.json"
        try JSONSerialization.data(withJSONObject: mapping).write(to: URL(fileURLWithPath: mappingPath))
        /// The export as it stood on `day` (rows prompted before it), P01's 28 May session in progress when `inProgress`.
        func export(until day: String, inProgress: Bool) throws -> String {
            let path = dir.path + "/export-" + day + (inProgress ? "-p" : "")
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            for file in try FileManager.default.contentsOfDirectory(atPath: full) where file.hasSuffix(".csv") {
                var lines = try String(contentsOfFile: full + "/" + file, encoding: .utf8).components(separatedBy: "\n")
                let header = lines.removeFirst()
                var kept = lines.filter { line in
                    let fields = line.components(separatedBy: ",")
                    return fields.count > 3 && fields[3] < day
                }
                if inProgress {
                    kept = kept.map { line in
                        line.hasPrefix("5001,") && line.contains(",2023-05-28 08:30:00") && file.hasPrefix("Wekelijkse")
                            ? line.replacingOccurrences(of: ",Completed,Nee,Nee", with: ",In Progress,,") : line
                    }
                }
                try ([header] + kept + [""]).joined(separator: "\n").write(toFile: path + "/" + file, atomically: true, encoding: .utf8)
            }
            return path
        }
        let store = dir.path + "/store"
        var r = try CommandRunner.journey(["import-esm", try export(until: "2023-05-22", inProgress: false), "--mapping", mappingPath, "--store", store])
        #expect(r.status == 0 && r.stdout.contains("appended 7 "), "\(r.stdout)\(r.stderr)")
        r = try CommandRunner.journey(["import-esm", try export(until: "2023-05-29", inProgress: true), "--mapping", mappingPath, "--store", store])
        #expect(r.status == 0 && r.stdout.contains("appended 7 (seq 8-14), 7 duplicates skipped"), "\(r.stdout)\(r.stderr)")
        r = try CommandRunner.journey(["import-esm", try export(until: "2023-06-05", inProgress: false), "--mapping", mappingPath, "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("1 event changed since an earlier export, corrected"), "\(r.stdout)")
        let exported = try exportText(store)
        #expect(exported.contains(#""id":"esm:P01:Wekelijkse_vragenlijst:20230528083000:v2""#))
        #expect(exported.contains(#""event":"esm:P01:Wekelijkse_vragenlijst:20230528083000","reason":"a later export of the app changed it"#))
        // The week counts the session once, answered, as in one import of the whole export.
        let weeks = try #require(JSONSerialization.jsonObject(with: Data(try CommandRunner.journey(
            ["compliance", "--participant", "P01", "--format", "json", "--store", store]).stdout.utf8)) as? [[String: Any]])
        let w21 = try #require(weeks.first { $0["week"] as? String == "2023-W21" })
        #expect(w21["prompts"] as? Int == 1 && w21["answered"] as? Int == 1 && w21["reportedContactLastWeek"] as? Bool == false)
        // Importing the same export again appends nothing.
        r = try CommandRunner.journey(["import-esm", try export(until: "2023-06-05", inProgress: false), "--mapping", mappingPath, "--store", store])
        #expect(r.stdout.contains("appended 0, 22 duplicates skipped") && !r.stdout.contains("corrected"), "\(r.stdout)")
    }

    /// Issue 21, point 3: dates in the app's Dutch form read by the mapping's formats; a prompt at
    /// 00:30 on a Monday, Amsterdam time (22:30 UTC on the Sunday), is in the Monday's week.
    @Test func localTimeAndDutchDates() throws {
        let dir = try Scratch()
        let export = try copyOfExport(dir)
        // Every contact date of the retrospective questionnaire written the Dutch way.
        let retro = export + "/Na het contact.csv"
        var rows = try String(contentsOfFile: retro, encoding: .utf8).components(separatedBy: "\n")
        let column = try #require(rows[0].components(separatedBy: ",").firstIndex(of: "Wanneer was het contact?"))
        rows = rows.enumerated().map { i, row in
            var fields = row.components(separatedBy: ",")
            guard i > 0, fields.count > column, fields[column].count == 10 else { return row }
            let parts = fields[column].components(separatedBy: "-")
            fields[column] = parts.reversed().joined(separator: "-")
            return fields.joined(separator: ",")
        }
        try rows.joined(separator: "\n").write(toFile: retro, atomically: true, encoding: .utf8)
        try replace(export + "/Wekelijkse vragenlijst.csv", "5002,1,2023-05-14 08:30:00.000000+00:00,2023-05-14 08:30:03.000000+00:00",
                    "5002,1,2023-05-14 22:30:00.000000+00:00,2023-05-14 22:30:00.000000+00:00")
        let plain = dir.path + "/store-plain"
        var r = try CommandRunner.journey(["import-esm", export, "--mapping", Self.mapping, "--store", plain])
        #expect(r.status != 0 && r.stderr.contains(#"column "Wanneer was het contact?": "31-05-2023" is not a date (YYYY-MM-DD)"#), "\(r.stderr)")
        var mapping = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.mapping))) as? [String: Any])
        mapping["formats"] = ["Wanneer was het contact?": "DD-MM-YYYY"]
        try JSONSerialization.data(withJSONObject: mapping).write(to: URL(fileURLWithPath: dir.path + "/dutch.json"))
        let store = dir.path + "/store"
        r = try CommandRunner.journey(["import-esm", export, "--mapping", dir.path + "/dutch.json", "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try exportText(store)
        #expect(lines.contains(#""contactOn":"2023-05-31""#))
        #expect(lines.contains(#""prompted":"2023-05-15T00:30:00.000000+02:00""#))
        let weeks = try #require(JSONSerialization.jsonObject(with: Data(try CommandRunner.journey(
            ["compliance", "--participant", "P02", "--format", "json", "--store", store]).stdout.utf8)) as? [[String: Any]])
        // P02's week 19 keeps only the retrospective prompt of 14 May; week 20 gains the moved one.
        #expect(weeks.first { $0["week"] as? String == "2023-W19" }?["prompts"] as? Int == 1)
        #expect(weeks.first { $0["week"] as? String == "2023-W20" }?["prompts"] as? Int == 3)
        // A mapping with an unknown zone or pattern is refused.
        mapping["timeZone"] = "Europe/Amsterdamm"
        try JSONSerialization.data(withJSONObject: mapping).write(to: URL(fileURLWithPath: dir.path + "/bad.json"))
        r = try CommandRunner.journey(["import-esm", export, "--mapping", dir.path + "/bad.json", "--store", store])
        #expect(r.status != 0 && r.stderr.contains(#"timeZone: "Europe/Amsterdamm" is not an IANA time zone"#), "\(r.stderr)")
    }

    /// Issue 21's check: an export in the app's layout of 3 participants x 8 weeks across the
    /// night the clocks go forward (26 March 2023). The app stamps UTC: the 08:30 prompt is 07:30Z
    /// in winter and 06:30Z in summer; in the store every prompt is 08:30 local, with its offset,
    /// one per local week. Hand-computed: participant A reports a contact every week and has one
    /// recorded (the retrospective questionnaire) on the Wednesday before weeks 2, 4, 6 and 8 -
    /// four reports agree, four do not; B reports none and has none (eight agree); C answers no
    /// week (no reports).
    @Test func threeParticipantsOverTheSpringChange() throws {
        let dir = try Scratch()
        let export = dir.path + "/export"
        try FileManager.default.createDirectory(atPath: export, withIntermediateDirectories: true)
        let head = "Participant Id,Session,Scheduled Time,Prompt Time,Start Time,End Time,Record Time,Expiry Time,Status"
        var basic = [head + ",Contact met organisatie vorige week?,Contact met organisatie volgende week?"]
        var retro = [head + ",Met welke organisatie had je contact?,Wanneer was het contact?,Hoe ging het?,Ik voelde me gehoord,Ik werd serieus genomen,Ik kreeg duidelijke informatie"]
        var prospective = [head + ",Met welke organisatie heb je contact?,Wanneer is het contact?,Hoe ben je daar terechtgekomen?,Wat heb je nodig?,In hoeverre kunnen zij daarin voorzien? (0-5),Ik voelde me gehoord,Ik werd serieus genomen,Ik kreeg duidelijke informatie"]
        prospective.append("5003,9,2023-03-12 07:40:00+00:00,2023-03-12 07:40:00+00:00,,,,2023-03-12 19:40:00+00:00,Expired,,,,,,,,")
        for week in 0..<8 {
            let sunday = CalendarDay(2023, 3, 12).adding(days: 7 * week)
            let utcHour = sunday.isBefore(CalendarDay(2023, 3, 26)) ? "07" : "06"
            let prompt = "\(sunday) \(utcHour):30:00+00:00", start = "\(sunday) \(utcHour):40:00+00:00", expiry = "\(sunday) 18:30:00+00:00"
            basic.append("5001,\(week),\(prompt),\(prompt),\(start),\(start),\(start),\(expiry),Completed,Ja,Nee")
            basic.append("5002,\(week),\(prompt),\(prompt),\(start),\(start),\(start),\(expiry),Completed,Nee,Nee")
            basic.append("5003,\(week),\(prompt),\(prompt),,,,\(expiry),Expired,,")
            if week % 2 == 1 {
                let wednesday = sunday.adding(days: -4)
                let retroPrompt = "\(sunday) \(utcHour):50:00+00:00"
                retro.append("5001,\(week),\(retroPrompt),\(retroPrompt),\(start),\(start),\(start),\(expiry),Completed,Politie Amsterdam,\(wednesday),ok,3,4,")
            }
        }
        for (name, rows) in [("Wekelijkse vragenlijst.csv", basic), ("Na het contact.csv", retro), ("Voor het contact.csv", prospective)] {
            try (rows.joined(separator: "\n") + "\n").write(toFile: export + "/" + name, atomically: true, encoding: .utf8)
        }
        var mapping = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.mapping))) as? [String: Any])
        mapping["participants"] = ["5001": "A", "5002": "B", "5003": "C"]
        try JSONSerialization.data(withJSONObject: mapping).write(to: URL(fileURLWithPath: dir.path + "/mapping.json"))
        let store = dir.path + "/store"
        let r = try CommandRunner.journey(["import-esm", export, "--mapping", dir.path + "/mapping.json", "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try exportText(store)
        #expect(lines.contains(#""prompted":"2023-03-19T08:30:00+01:00""#) && lines.contains(#""prompted":"2023-03-26T08:30:00+02:00""#))
        #expect(!lines.contains("T07:30:00") && !lines.contains("T06:30:00"))
        let json = try CommandRunner.journey(["compliance", "--format", "json", "--store", store])
        let weeks = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        for p in ["A", "B", "C"] {
            let mine = weeks.filter { $0["participant"] as? String == p }
            #expect(mine.map { $0["week"] as? String ?? "" } == (10...17).map { "2023-W\($0)" }, "\(p)")
        }
        let text = try CommandRunner.journey(["compliance", "--store", store]).stdout
        #expect(text.contains("Weekly reports of a contact last week that agree with the contacts recorded: 12 of 16 (4 reported but not recorded, 0 recorded but not reported)."), "\(text)")
        #expect(text.contains("  basic          24 prompts, 16 answered (67%), 8 expired, 0 missed"), "\(text)")
    }

    /// Breaks a copy of the export with `edit`, imports it, and expects `message` and an untouched store.
    private func expectRejected(_ edit: (String) throws -> Void, mapping: String = ESMImportTests.mapping, _ messages: [String]) throws {
        let dir = try Scratch()
        let store = try storeWithExamples(dir)
        let before = try exportText(store)
        let export = try copyOfExport(dir)
        try edit(export)
        let r = try CommandRunner.journey(["import-esm", export, "--mapping", mapping, "--store", store])
        #expect(r.status != 0)
        for message in messages { #expect(r.stderr.contains(message), "\(r.stderr)") }
        #expect(r.stderr.contains("nothing was appended") || r.stderr.contains("Error:"))
        #expect(try exportText(store) == before)
    }

    private func replace(_ file: String, _ old: String, _ new: String) throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains(old))
        try text.replacingOccurrences(of: old, with: new).write(toFile: file, atomically: true, encoding: .utf8)
    }

    @Test func badExportsNameFileRowAndColumnAndAppendNothing() throws {
        // An unparseable date.
        try expectRejected({ try replace($0 + "/Na het contact.csv", ",2023-05-31,", ",31 mei,") },
                           ["/Na het contact.csv:3: column \"Wanneer was het contact?\": \"31 mei\" is not a date"])
        // A score out of range.
        try expectRejected({ try replace($0 + "/Na het contact.csv", "Goed gesprek,1,5,", "Goed gesprek,1,7,") },
                           ["/Na het contact.csv:3: column \"Ik werd serieus genomen\": score \"7\" is not an integer 0-5"])
        // A name without an alias: reported, not guessed.
        try expectRejected({ try replace($0 + "/Na het contact.csv", ",Politie Amsterdam,2023-05-31,", ",Politie Utrecht,2023-05-31,") },
                           ["/Na het contact.csv:3: column \"Met welke organisatie had je contact?\": institution name \"Politie Utrecht\" has no alias"])
        // An unknown questionnaire.
        try expectRejected({ try "a,b\n1,2\n".write(toFile: $0 + "/Registratie.csv", atomically: true, encoding: .utf8) },
                           ["/Registratie.csv: unknown questionnaire"])
        // A bad timestamp and an unknown status.
        try expectRejected({ try replace($0 + "/Wekelijkse vragenlijst.csv", "5001,1,2023-05-14 08:30:00.000000+00:00,2023-05-14 08:30:00.000000+00:00", "5001,1,2023-05-14 08:30:00.000000+00:00,14/05/2023 08:30") },
                           ["/Wekelijkse vragenlijst.csv:2: column \"Prompt Time\": \"14/05/2023 08:30\" is not a timestamp"])
        // A mapping naming a column the file does not have.
        let dir = try Scratch()
        let badMapping = dir.path + "/mapping.json"
        try String(contentsOfFile: Self.mapping, encoding: .utf8).replacingOccurrences(of: "\"Hoe ging het?\"", with: "\"Hoe ging het\"")
            .write(toFile: badMapping, atomically: true, encoding: .utf8)
        try expectRejected({ _ in }, mapping: badMapping, ["/Na het contact.csv: column \"Hoe ging het\" (the mapping's Na het contact.csv answers.summary) is not in the file"])
        // A mapping that is not one.
        let notMapping = dir.path + "/not.json"
        try #"{"columns": {"participant": "x"}}"#.write(toFile: notMapping, atomically: true, encoding: .utf8)
        try expectRejected({ _ in }, mapping: notMapping, ["not.json: columns.prompted is missing"])
    }
}

/// A calendar day for building test exports.
struct CalendarDay: CustomStringConvertible {
    let date: Date
    init(_ year: Int, _ month: Int, _ day: Int) {
        var c = DateComponents()
        (c.year, c.month, c.day) = (year, month, day)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        date = calendar.date(from: c)!
    }
    private init(date: Date) { self.date = date }
    func adding(days: Int) -> CalendarDay { CalendarDay(date: date.addingTimeInterval(Double(days) * 86400)) }
    func isBefore(_ other: CalendarDay) -> Bool { date < other.date }
    var description: String { String(ISO8601DateFormatter().string(from: date).prefix(10)) }
}
