import Foundation
import Testing

@Suite(.serialized)
struct CommandLineTests {
    @Test(arguments: [[], ["demo"], ["import"], ["import-esm"], ["export"], ["audit"], ["verify"], ["info"], ["timeline"], ["pairs"], ["stats"],
                      ["referrals"], ["compliance"], ["dump"], ["report"], ["init"], ["forget"], ["schema"], ["bench"], ["bench", "dumps"],
                      ["codings"], ["agreement"], ["agree"]])
    func everyCommandHasHelp(command: [String]) throws {
        let r = try CommandRunner.journey(command + ["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("USAGE"))
        if !command.isEmpty { #expect(r.stdout.contains("--store") || command.first == "bench" || command.first == "schema") }
    }

    @Test func importReportsEveryBadLineAsFileColonLineAndChangesNothing() throws {
        let dir = try Scratch()
        let store = dir.path + "/store"
        let good = try dir.write("good.jsonl", contacts(5))
        #expect(try CommandRunner.journey(["import", good, "--store", store]).status == 0)
        let before = try CommandRunner.journey(["export", "--store", store]).stdout
        let bad = try dir.write("bad.jsonl", [
            contacts(1, prefix: "new")[0],
            "{broken",
            "",
            #"{"id":"e1","type":"contact","participant":"P1","at":"2023-05-11","source":"esm","data":{"institution":"other"}}"#,
            #"{"id":"x","type":"contact","participant":"P1","at":"2023-05-11","source":"esm","data":{"institution":"a"},"colour":"red"}"#,
        ])
        let r = try CommandRunner.journey(["import", bad, "--store", store])
        #expect(r.status != 0)
        #expect(r.stderr.contains("\(bad):2: malformed JSON"))
        #expect(r.stderr.contains("\(bad):4: conflict"))
        #expect(r.stderr.contains("\(bad):5: unknown field \"colour\""))
        #expect(!r.stderr.contains("\(bad):1:"))
        #expect(r.stderr.contains("nothing from this file was appended"))
        #expect(try CommandRunner.journey(["export", "--store", store]).stdout == before)
    }

    @Test func importReadsStandardInputAndSummarises() throws {
        let dir = try Scratch()
        let r = try CommandRunner.journey(["import", "-", "--store", dir.path + "/s"], stdin: contacts(3).joined(separator: "\n"))
        #expect(r.status == 0)
        #expect(r.stdout == "<stdin>: appended 3 events (seq 1-3), 0 duplicates skipped\n")
    }

    @Test func storeDefaultsToTheEnvironmentVariable() throws {
        let dir = try Scratch()
        let file = try dir.write("a.jsonl", contacts(2))
        #expect(try CommandRunner.journey(["import", file], environment: ["JOURNEY_STORE": dir.path + "/env-store"]).status == 0)
        let info = try CommandRunner.journey(["info", "--store", dir.path + "/env-store"])
        #expect(info.stdout.contains("events        2"))
    }

    @Test func missingStoreAndMissingFileGiveClearErrors() throws {
        let dir = try Scratch()
        let r = try CommandRunner.journey(["export", "--store", dir.path + "/nowhere"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("no journey store here"))
        let m = try CommandRunner.journey(["import", dir.path + "/missing.jsonl", "--store", dir.path + "/s"])
        #expect(m.status != 0)
        #expect(m.stderr.contains("missing.jsonl: cannot open"))
    }

    @Test func verifySummarisesAWholeStore() throws {
        let dir = try Scratch()
        let file = try dir.write("a.jsonl", contacts(10))
        try CommandRunner.journey(["import", file, "--store", dir.path + "/s"])
        let r = try CommandRunner.journey(["verify", "--store", dir.path + "/s"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("whole: 10 events"))
    }

    @Test func aThirdPartyReaderFollowingStorageMdGetsExactlyTheExport() throws {
        let dir = try Scratch()
        let store = dir.path + "/s"
        let example = CommandRunner.packageRoot + "/examples/journey-example.jsonl"
        #expect(try CommandRunner.journey(["import", example, "--store", store]).status == 0)
        let fixed = try dir.write("more2.jsonl", contacts(300) + [#"{"id":"n1","type":"contact","participant":"P01","at":"2023-06-01","source":"esm","by":null,"data":{"institution":"cafe-x","reason":"\u00e9 ✓"}}"#])
        #expect(try CommandRunner.journey(["import", fixed, "--store", store]).status == 0)
        let export = try CommandRunner.journey(["export", "--store", store]).stdout
        let script = CommandRunner.packageRoot + "/tools/read_store.py"
        let python = try CommandRunner.run("/usr/bin/env", ["python3", script, store])
        #expect(python.status == 0, "\(python.stderr)")
        #expect(python.stdout == export)
        let p = try CommandRunner.run("/usr/bin/env", ["python3", script, store, "--participant", "P01"])
        #expect(p.stdout == (try CommandRunner.journey(["export", "--store", store, "--participant", "P01"]).stdout))
    }

    @Test func schemaAcceptsTheExampleAndRejectsBadLines() throws {
        let dir = try Scratch()
        let check = CommandRunner.packageRoot + "/tools/check_schema.py"
        let ok = try CommandRunner.run("/usr/bin/env", ["python3", check, CommandRunner.packageRoot + "/examples/journey-example.jsonl"])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        let bad = try dir.write("bad.jsonl", [
            #"{"id":"c","type":"contact","at":"2023-01-01","source":"esm","data":{"institution":"x"}}"#,
            #"{"id":"c","type":"contact","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"self"}}"#,
            #"{"id":"c","type":"experience","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x","contactOn":"2023-01-01","statements":{"a":6}}}"#,
            #"{"id":"c","type":"institution.coded","participant":"P","at":"2023-01-01","source":"manual","data":{"institution":"x","name":"X","categories":["help.informal"],"levels":["local"]}}"#,
        ])
        let r = try CommandRunner.run("/usr/bin/env", ["python3", check, "--invalid", bad])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }
}
