import Foundation
import Testing

@Suite(.serialized)
struct CrashAndConcurrencyTests {
    private func exportedCount(_ store: String, environment: [String: String]? = nil) throws -> Int {
        let r = try CommandRunner.journey(["export", "--store", store], environment: environment)
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.split(separator: "\n").count
    }

    /// A store holding `base` events, and a file of `n` more, imported by a process started in
    /// the background with small staging batches.
    private func backgroundImport(
        _ dir: Scratch, base: Int, n: Int, batch: Int, environment: [String: String]? = nil
    ) throws -> (store: String, file: String, process: Process) {
        let store = dir.path + "/s"
        if environment != nil { #expect(try CommandRunner.journey(["init", "--encrypt", "--store", store], environment: environment).status == 0) }
        let baseFile = try dir.write("base.jsonl", contacts(base, prefix: "base"))
        #expect(try CommandRunner.journey(["import", baseFile, "--store", store], environment: environment).status == 0)
        let big = try dir.write("big.jsonl", contacts(n, prefix: "big"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try CommandRunner.journey)
        process.arguments = ["import", big, "--store", store, "--batch-size", String(batch)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        return (store, big, process)
    }

    /// In a plain store and in an encrypted one (sealed groups, keys written with the batches).
    @Test(arguments: [false, true])
    func sigkillMidImportLeavesNoneOfTheFileAndARerunCompletesItOnce(encrypted: Bool) throws {
        let dir = try Scratch()
        let n = 60_000
        let env = encrypted ? ["JOURNEY_KEY_FILE": dir.path + "/master.key"] : nil
        let (store, big, process) = try backgroundImport(dir, base: 100, n: n, batch: 2000, environment: env)
        let dataFile = store + "/data.mdb"
        let startSize = (try FileManager.default.attributesOfItem(atPath: dataFile)[.size] as? Int) ?? 0
        try process.run()
        // Wait until the import has staged some batches, then kill it hard.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, process.isRunning {
            let size = (try? FileManager.default.attributesOfItem(atPath: dataFile)[.size] as? Int) ?? 0
            if size > startSize + 2_000_000 { break }
            usleep(5_000)
        }
        let killedMidway = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let verify = try CommandRunner.journey(["verify", "--store", store], environment: env)
        #expect(verify.status == 0, "\(verify.stderr)")
        let count = try exportedCount(store, environment: env)
        #expect(count == 100 || count == 100 + n)
        #expect(killedMidway, "the import finished before it could be killed; make the file larger")
        #expect(count == 100)
        // The import's audit entry commits with its events, or not at all.
        let appendedBig = { () throws -> Int in
            let json = try CommandRunner.journey(["audit", "--format", "json", "--store", store], environment: env)
            let entries = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            return entries.filter { ($0["detail"] as? [String: String])?["file"] == big && ($0["detail"] as? [String: String])?["outcome"] == "appended" }.count
        }
        #expect(try appendedBig() == 0)

        let rerun = try CommandRunner.journey(["import", big, "--store", store], environment: env)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try exportedCount(store, environment: env) == 100 + n)
        #expect(try appendedBig() == 1)
        let again = try CommandRunner.journey(["import", big, "--store", store], environment: env)
        #expect(again.stdout.contains("appended 0 events") && again.stdout.contains("\(n) duplicates"))
        #expect(try CommandRunner.journey(["verify", "--store", store], environment: env).status == 0)
    }

    @Test func readersSeeAConsistentPrefixWhileAnImportRuns() throws {
        let dir = try Scratch()
        let n = 40_000
        let (store, _, importer) = try backgroundImport(dir, base: 500, n: n, batch: 3000)
        try importer.run()
        var rounds = 0
        repeat {
            let export = try CommandRunner.journey(["export", "--store", store])
            #expect(export.status == 0, "\(export.stderr)")
            let seqs = export.stdout.split(separator: "\n").compactMap { line -> Int? in
                guard let r = line.range(of: #""seq":"#) else { return nil }
                return Int(line[r.upperBound...].prefix { $0.isNumber })
            }
            #expect(seqs == Array(1...seqs.count))
            #expect(seqs.count == 500 || seqs.count == 500 + n)
            let verify = try CommandRunner.journey(["verify", "--store", store])
            #expect(verify.status == 0, "\(verify.stderr)")
            rounds += 1
        } while importer.isRunning
        importer.waitUntilExit()
        #expect(importer.terminationStatus == 0)
        #expect(rounds >= 1)
        #expect(try exportedCount(store) == 500 + n)
    }
}
