import Foundation
import Testing

/// `journey cluster` as a user runs it: every projection of one participant reads as before,
/// `info` says how far the copy reaches, `verify` checks it, and in an encrypted store the copy
/// is sealed and a participant forgotten afterwards is gone from it too.
@Suite(.serialized)
struct ClusterCommandTests {
    /// Each participant's timeline (JSON), pairs and referral audit.
    private func projections(_ store: String, _ participants: [String], environment: [String: String]? = nil) throws -> [String] {
        try participants.flatMap { p in
            try [["timeline", p, "--format", "json"], ["pairs", "--participant", p], ["referrals", "--participant", p]].map { command in
                let r = try CommandRunner.journey(command + ["--store", store], environment: environment)
                #expect(r.status == 0, "\(command): \(r.stderr)")
                return r.stdout
            }
        }
    }

    @Test func aClusteredStoreShowsEveryParticipantAsBefore() throws {
        let dir = try Scratch()
        let store = dir.path + "/store"
        let cohort = CommandRunner.packageRoot + "/Tests/EndToEndTests/Fixtures/cohort.jsonl"
        #expect(try CommandRunner.journey(["import", cohort, "--store", store]).status == 0)
        let participants = ["A", "B", "C"]
        let before = try projections(store, participants)

        let help = try CommandRunner.journey(["cluster", "--help"])
        #expect(help.status == 0 && help.stdout.contains("CLUSTER"), "\(help.stdout)")
        let run = try CommandRunner.journey(["cluster", "--store", store, "--by", "dana"])
        #expect(run.status == 0 && run.stdout.contains("18 records copied together by participant, up to seq 24"), "\(run.stdout)\(run.stderr)")
        #expect(try CommandRunner.journey(["info", "--store", store]).stdout.contains("clustered     up to seq 24\n"))
        #expect(try projections(store, participants) == before)
        #expect(try CommandRunner.journey(["verify", "--store", store]).status == 0)
        let audit = try CommandRunner.journey(["audit", "--store", store]).stdout
        #expect(audit.contains("dana") && audit.contains("cluster") && audit.contains("records=18"), "\(audit)")

        // Events imported afterwards are read from the log, and info says so.
        let more = try dir.write("more.jsonl", [
            #"{"id":"late-1","type":"contact","participant":"A","at":"2023-06-01","source":"esm","data":{"institution":"gp"}}"#,
        ])
        #expect(try CommandRunner.journey(["import", more, "--store", store]).status == 0)
        #expect(try CommandRunner.journey(["info", "--store", store]).stdout.contains("up to seq 24 (later events read from the log)"))
        let timeline = try CommandRunner.journey(["timeline", "A", "--store", store]).stdout
        #expect(timeline.contains("11 events") && timeline.contains("2023-06-01"), "\(timeline)")
        #expect(try CommandRunner.journey(["verify", "--store", store]).status == 0)
        // No store: a clear error.
        let missing = try CommandRunner.journey(["cluster", "--store", dir.path + "/none"])
        #expect(missing.status != 0 && missing.stderr.contains("no journey store here"), "\(missing.stderr)")
    }

    @Test func sigkillMidClusterLeavesTheStoreReadingAsBeforeAndARerunCompletesIt() throws {
        let dir = try Scratch()
        let store = dir.path + "/store"
        let file = try dir.write("in.jsonl", contacts(40_000, participants: 400))
        #expect(try CommandRunner.journey(["import", file, "--store", store]).status == 0)
        let before = try projections(store, ["P0", "P17", "P399"])
        let dataFile = store + "/data.mdb"
        let startSize = (try FileManager.default.attributesOfItem(atPath: dataFile)[.size] as? Int) ?? 0
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try CommandRunner.journey)
        process.arguments = ["cluster", "--store", store, "--batch-size", "500"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Killed hard once some of the copy is written.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, process.isRunning {
            let size = (try? FileManager.default.attributesOfItem(atPath: dataFile)[.size] as? Int) ?? 0
            if size > startSize + 1_000_000 { break }
            usleep(2_000)
        }
        let killedMidway = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(killedMidway, "cluster finished before it could be killed; make the store larger")
        #expect(try CommandRunner.journey(["info", "--store", store]).stdout.contains("clustered     no"))
        #expect(try CommandRunner.journey(["verify", "--store", store]).status == 0)
        #expect(try projections(store, ["P0", "P17", "P399"]) == before)
        #expect(!(try CommandRunner.journey(["audit", "--store", store]).stdout.contains("cluster")))

        let rerun = try CommandRunner.journey(["cluster", "--store", store])
        #expect(rerun.status == 0 && rerun.stdout.contains("40000 records"), "\(rerun.stdout)\(rerun.stderr)")
        #expect(try CommandRunner.journey(["verify", "--store", store]).status == 0)
        #expect(try projections(store, ["P0", "P17", "P399"]) == before)
    }

    @Test func aFullDiskFailsTheRunAndLeavesTheStoreReadingAsBefore() throws {
        let dir = try Scratch()
        let mount = dir.path + "/small"
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        let input = try dir.write("in.jsonl", contacts(20_000))
        // A 9 MB file system of its own: the store fits (6 MB), its copy does not (11 MB).
        let script = """
            mount -t tmpfs -o size=9m tmpfs "$1" || exit 99
            "$0" import "$2" --store "$1/s" > /dev/null; echo "import=$?"
            "$0" cluster --store "$1/s" --batch-size 2000; echo "cluster=$?"
            "$0" verify --store "$1/s"; echo "verify=$?"
            "$0" info --store "$1/s"
            "$0" timeline P7 --store "$1/s" | head -1
            """
        let r = try CommandRunner.run("/usr/bin/unshare", ["-m", "/bin/sh", "-c", script, try CommandRunner.journey, mount, input])
        #expect(r.status == 0, "could not make a small file system: \(r.stderr)")
        #expect(r.stdout.contains("import=0") && r.stdout.contains("cluster=1"), "\(r.stdout)\(r.stderr)")
        #expect(r.stderr.lowercased().contains("no space left on device"), "\(r.stderr)")
        #expect(r.stdout.contains("verify=0") && r.stdout.contains("clustered     no"), "\(r.stdout)")
        #expect(r.stdout.contains("Journey of P7: 400 events"), "\(r.stdout)")
    }

    @Test func clusterWaitsForAnImportAndCopiesWhatWasCommitted() throws {
        let dir = try Scratch()
        let store = dir.path + "/store"
        #expect(try CommandRunner.journey(["import", try dir.write("base.jsonl", contacts(100, prefix: "base")), "--store", store]).status == 0)
        let big = try dir.write("big.jsonl", contacts(30_000, prefix: "big"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try CommandRunner.journey)
        process.arguments = ["import", big, "--store", store, "--batch-size", "1000"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let run = try CommandRunner.journey(["cluster", "--store", store])
        process.waitUntilExit()
        #expect(run.status == 0 && process.terminationStatus == 0, "\(run.stderr)")
        // The copy holds the log as it was when cluster had the writer lock: all of the import, or none.
        let info = try CommandRunner.journey(["info", "--store", store]).stdout
        #expect(info.contains("clustered     up to seq 30100\n") || info.contains("up to seq 100 (later events read from the log)"), "\(info)")
        #expect(try CommandRunner.journey(["verify", "--store", store]).status == 0)
        let timeline = try CommandRunner.journey(["timeline", "P3", "--store", store]).stdout
        #expect(timeline.contains("Journey of P3: 602 events"), "\(timeline)")
    }

    @Test func anEncryptedClusteredStoreForgetsAParticipantForGood() throws {
        let dir = try Scratch()
        let input = try dir.write("in.jsonl", EncryptionTests.lines)
        let (store, key) = (dir.path + "/store", dir.path + "/master.key")
        let env = ["JOURNEY_KEY_FILE": key]
        #expect(try CommandRunner.journey(["init", "--encrypt", "--store", store], environment: env).status == 0)
        #expect(try CommandRunner.journey(["import", input, "--store", store], environment: env).status == 0)
        let pb2 = try projections(store, ["PB2"], environment: env)
        let run = try CommandRunner.journey(["cluster", "--store", store], environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        // The copy is sealed: no secret is in the clear, in any file of the store.
        let bytes = try EncryptionTests.storeBytes(store)
        for secret in EncryptionTests.secrets { #expect(!EncryptionTests.found(secret, in: bytes), "\(secret)") }
        #expect(try projections(store, ["PB2"], environment: env) == pb2)

        let forget = try CommandRunner.journey(["forget", "PA1", "--reason", "withdrew consent", "--store", store], environment: env)
        #expect(forget.status == 0, "\(forget.stderr)")
        let timeline = try CommandRunner.journey(["timeline", "PA1", "--store", store], environment: env)
        #expect(timeline.status == 0 && timeline.stdout.contains("withdrew") && !timeline.stdout.contains("inst-zeta-kliniek"), "\(timeline.stdout)")
        // PB2 as before, the log one event longer (the one forget appended).
        #expect(try projections(store, ["PB2"], environment: env) == pb2.map { $0.replacingOccurrences(of: #""upto" : 9"#, with: #""upto" : 10"#) })
        let verify = try CommandRunner.journey(["verify", "--store", store], environment: env)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }
}
