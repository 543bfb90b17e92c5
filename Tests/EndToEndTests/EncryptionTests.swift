import Foundation
import Testing

/// Encryption at rest and withdrawal by crypto-shredding (the privacy issue's points 1, 2 and 5),
/// as a user meets them: through the `journey` binary, with the bytes of the LMDB files scanned.
@Suite(.serialized)
struct EncryptionTests {
    /// Payload text of both participants that must never be stored in the clear: institution ids
    /// and names, roles, reasons, needs, statement item ids, free text. Event ids and pseudonyms
    /// are identifiers and stay readable (they key the indexes).
    static let secrets = [
        "inst-zeta-kliniek", "Kliniek Zeta Oost", "inst-omega-opvang", "Opvang Omega Noord", "coded-from-intake-notes",
        "orthopedagoog-xyz", "secret-reason-alpha", "no-bed-omega", "need-lambda-housing", "item-kappa-listens",
        "summary-mu-free-text", "reason-beta-visit", "age-band-thirties",
    ]

    static let lines = [
        #"{"id":"e1","type":"institution.coded","at":"2023-01-02","source":"manual","data":{"institution":"inst-zeta-kliniek","name":"Kliniek Zeta Oost","categories":["help.formal.health"],"levels":["local"],"reason":"coded-from-intake-notes"}}"#,
        #"{"id":"e2","type":"institution.coded","at":"2023-01-02","source":"manual","data":{"institution":"inst-omega-opvang","name":"Opvang Omega Noord","categories":["help.formal.victim"],"levels":["regional"]}}"#,
        #"{"id":"e3","type":"participant.enrolled","participant":"PA1","at":"2023-02-01","source":"intake-interview","data":{"ageBand":"age-band-thirties","abuse":["physical"]}}"#,
        #"{"id":"e4","type":"contact","participant":"PA1","at":"2023-02-03","source":"esm","data":{"institution":"inst-zeta-kliniek","role":"orthopedagoog-xyz","reason":"secret-reason-alpha"}}"#,
        #"{"id":"e5","type":"referral","participant":"PA1","at":"2023-02-04","source":"esm","data":{"from":"inst-zeta-kliniek","to":"inst-omega-opvang","outcome":"refused","reason":"no-bed-omega"}}"#,
        #"{"id":"e6","type":"expectation","participant":"PA1","at":"2023-02-05","source":"esm","data":{"institution":"inst-omega-opvang","plannedFor":"2023-02-07","needs":["need-lambda-housing"],"statements":{"item-kappa-listens":4}}}"#,
        #"{"id":"e7","type":"experience","participant":"PA1","at":"2023-02-08","source":"esm","data":{"institution":"inst-omega-opvang","contactOn":"2023-02-07","summary":"summary-mu-free-text","statements":{"item-kappa-listens":2}}}"#,
        #"{"id":"e8","type":"participant.enrolled","participant":"PB2","at":"2023-02-01","source":"intake-interview","data":{}}"#,
        #"{"id":"e9","type":"contact","participant":"PB2","at":"2023-02-10","source":"esm","data":{"institution":"inst-omega-opvang","reason":"reason-beta-visit"}}"#,
    ]

    /// Every byte of the store's files.
    static func storeBytes(_ store: String) throws -> Data {
        var all = Data()
        for name in try FileManager.default.contentsOfDirectory(atPath: store).sorted() {
            all.append(try Data(contentsOf: URL(fileURLWithPath: store + "/" + name)))
        }
        return all
    }

    static func found(_ text: String, in bytes: Data) -> Bool { bytes.range(of: Data(text.utf8)) != nil }

    static func digest(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// The export lines without the store fields (seq, appended, hash), which differ per store.
    static func content(_ export: String) -> [String] {
        export.split(separator: "\n").map { line in String(line[..<line.range(of: #","seq":"#)!.lowerBound]) }
    }

    @Test func contentIsSealedAndReadsBackOnlyWithTheKey() throws {
        let dir = try Scratch()
        let input = try dir.write("in.jsonl", Self.lines)
        let (store, plain, key) = (dir.path + "/store", dir.path + "/plain", dir.path + "/master.key")
        let inside = try CommandRunner.journey(["init", "--encrypt", "--store", store, "--key-file", store + "/master.key"])
        #expect(inside.status != 0 && inside.stderr.contains("outside the store directory"), "\(inside.stderr)")

        let created = try CommandRunner.journey(["init", "--encrypt", "--store", store, "--key-file", key, "--by", "alice"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("wrote a new master key"))
        #expect(try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int == 0o600)
        let imported = try CommandRunner.journey(["import", input, "--store", store, "--key-file", key, "--by", "alice"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try CommandRunner.journey(["import", input, "--store", plain]).status == 0)

        // No payload text in the clear anywhere in the encrypted store's files; all of it in the
        // plain store's (so the scan can find what it looks for).
        let sealedBytes = try Self.storeBytes(store)
        let plainBytes = try Self.storeBytes(plain)
        for secret in Self.secrets {
            #expect(!Self.found(secret, in: sealedBytes), "\(secret) is stored in the clear")
            #expect(Self.found(secret, in: plainBytes), "\(secret) missing from the plain store")
        }
        #expect(!Self.found(try String(contentsOfFile: key, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), in: sealedBytes))

        // With the key everything reads as from a plain store; a third-party reader following
        // STORAGE.md decrypts exactly the same.
        let export = try CommandRunner.journey(["export", "--store", store, "--key-file", key])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(Self.content(export.stdout) == Self.content(try CommandRunner.journey(["export", "--store", plain]).stdout))
        let python = try CommandRunner.run("/usr/bin/env", ["python3", CommandRunner.packageRoot + "/tools/read_store.py", store, "--key-file", key])
        #expect(python.status == 0, "\(python.stderr)")
        #expect(python.stdout == (try CommandRunner.journey(["export", "--store", store, "--key-file", key]).stdout))
        let sealedTimeline = try CommandRunner.journey(["timeline", "PA1", "--store", store, "--format", "json"], environment: ["JOURNEY_KEY_FILE": key])
        #expect(sealedTimeline.status == 0, "\(sealedTimeline.stderr)")
        #expect(sealedTimeline.stdout == (try CommandRunner.journey(["timeline", "PA1", "--store", plain, "--format", "json"]).stdout))
        #expect(sealedTimeline.stdout.contains("orthopedagoog-xyz"))

        // Verify needs no key: the chain covers the sealed bytes.
        let verify = try CommandRunner.journey(["verify", "--store", store])
        #expect(verify.status == 0 && verify.stdout.contains("not checked (no key given)"), "\(verify.stdout)\(verify.stderr)")
        let verifyWithKey = try CommandRunner.journey(["verify", "--store", store, "--key-file", key])
        #expect(verifyWithKey.status == 0 && verifyWithKey.stdout.contains("every readable event opened"), "\(verifyWithKey.stdout)")
    }

    @Test func aWrongOrMissingKeyIsAClearErrorAndWritesNothing() throws {
        let dir = try Scratch()
        let input = try dir.write("in.jsonl", Self.lines)
        let more = try dir.write("more.jsonl", [#"{"id":"x1","type":"contact","participant":"PB2","at":"2023-03-01","source":"esm","data":{"institution":"inst-omega-opvang"}}"#])
        let (store, key, wrong) = (dir.path + "/store", dir.path + "/master.key", dir.path + "/wrong.key")
        #expect(try CommandRunner.journey(["init", "--encrypt", "--store", store, "--key-file", key]).status == 0)
        #expect(try CommandRunner.journey(["import", input, "--store", store, "--key-file", key]).status == 0)
        try (String(repeating: "ab", count: 32) + "\n").write(toFile: wrong, atomically: true, encoding: .utf8)
        // A key file others may read is refused, as ssh refuses such a private key.
        let exposed = try CommandRunner.journey(["export", "--store", store, "--key-file", wrong])
        #expect(exposed.status != 0 && exposed.stderr.contains("chmod 600 \(wrong)"), "\(exposed.stderr)")
        chmod(wrong, 0o600)
        let before = try Self.digest(store + "/data.mdb")

        for command in [["import", more], ["export"], ["timeline", "PA1"], ["dump", "--out", dir.path + "/dump"], ["stats"], ["forget", "PA1", "--reason", "test"]] {
            let withWrong = try CommandRunner.journey(command + ["--store", store, "--key-file", wrong])
            #expect(withWrong.status != 0)
            #expect(withWrong.stderr.contains("not the key of the store"), "\(command): \(withWrong.stderr)")
            let without = try CommandRunner.journey(command + ["--store", store])
            #expect(without.status != 0)
            #expect(without.stderr.contains("--key-file"), "\(command): \(without.stderr)")
            #expect(try Self.digest(store + "/data.mdb") == before, "\(command) changed the store")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/dump"))
        chmod(input, 0o600)
        let notAKey = try CommandRunner.journey(["export", "--store", store, "--key-file", input])
        #expect(notAKey.status != 0 && notAKey.stderr.contains("not a journey key file"), "\(notAKey.stderr)")
        let missing = try CommandRunner.journey(["export", "--store", store, "--key-file", dir.path + "/none.key"])
        #expect(missing.status != 0 && missing.stderr.contains("no such key file"), "\(missing.stderr)")
        // A key kept inside the store directory is refused by every command, not only init.
        let inside = store + "/master.key"
        try FileManager.default.copyItem(atPath: key, toPath: inside)
        for command in [["export"], ["stats"], ["verify"], ["import", more]] {
            let r = try CommandRunner.journey(command + ["--store", store, "--key-file", inside])
            #expect(r.status != 0 && r.stderr.contains("must live outside the store directory"), "\(command): \(r.stderr)")
        }
        try FileManager.default.removeItem(atPath: inside)

        // A plain store refuses an explicit key and cannot forget.
        let plain = dir.path + "/plain"
        #expect(try CommandRunner.journey(["import", input, "--store", plain]).status == 0)
        #expect(try CommandRunner.journey(["export", "--store", plain, "--key-file", key]).stderr.contains("not encrypted"))
        let forgetPlain = try CommandRunner.journey(["forget", "PA1", "--reason", "r", "--store", plain, "--key-file", key])
        #expect(forgetPlain.status != 0 && forgetPlain.stderr.contains("not encrypted"), "\(forgetPlain.stderr)")
    }

    @Test func forgetDestroysOneParticipantsKeyAndLeavesTheOthersUntouched() throws {
        let dir = try Scratch()
        let input = try dir.write("in.jsonl", Self.lines)
        let (store, key) = (dir.path + "/store", dir.path + "/master.key")
        let env = ["JOURNEY_KEY_FILE": key]
        #expect(try CommandRunner.journey(["init", "--encrypt", "--store", store, "--by", "alice"], environment: env).status == 0)
        #expect(try CommandRunner.journey(["import", input, "--store", store, "--by", "alice"], environment: env).status == 0)
        let othersBefore = try CommandRunner.journey(["export", "--participant", "PB2", "--store", store], environment: env).stdout
        let timelineBefore = try CommandRunner.journey(["timeline", "PB2", "--store", store, "--format", "json"], environment: env).stdout
            .replacingOccurrences(of: #""upto" : 9"#, with: #""upto" : 10"#)
        let wrapped = try CommandRunner.run("/usr/bin/env", ["python3", "-c", """
            import lmdb, sys
            env = lmdb.open(sys.argv[1], readonly=True, max_dbs=16)
            with env.begin() as txn:
                print(txn.get(b"PA1", db=env.open_db(b"keys", txn=txn, create=False)).hex())
            """, store])
        #expect(wrapped.status == 0, "\(wrapped.stderr)")
        let wrappedKey = Data(hexDigits: wrapped.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(wrappedKey.count == 60)
        #expect(try Self.storeBytes(store).range(of: wrappedKey) != nil)

        let forget = try CommandRunner.journey(["forget", "PA1", "--reason", "withdrew consent", "--store", store, "--by", "bob"], environment: env)
        #expect(forget.status == 0, "\(forget.stderr)")
        #expect(forget.stdout.contains("5 events"), "\(forget.stdout)")

        // The wrapped key is nowhere in the files, so even the master key cannot open PA1's
        // events again; the log and its chain are as they were, plus one event.
        #expect(try Self.storeBytes(store).range(of: wrappedKey) == nil)
        let verify = try CommandRunner.journey(["verify", "--store", store], environment: env)
        #expect(verify.status == 0 && verify.stdout.contains("5 events of forgotten participants"), "\(verify.stdout)\(verify.stderr)")
        #expect(try CommandRunner.journey(["verify", "--store", store]).status == 0)
        let python = try CommandRunner.run("/usr/bin/env", ["python3", CommandRunner.packageRoot + "/tools/read_store.py", store, "--key-file", key])
        #expect(python.status == 0, "\(python.stderr)")
        #expect(!python.stdout.contains("orthopedagoog-xyz") && python.stdout.contains(#""id":"forgotten:PA1""#))
        let export = try CommandRunner.journey(["export", "--participant", "PA1", "--store", store], environment: env).stdout
        #expect(export.split(separator: "\n").count == 1 && export.contains(#""reason":"withdrew""#) && export.contains(#""by":"bob""#))

        // Projections and dumps show PA1 withdrawn with no content; PB2 exactly as before.
        let timeline = try CommandRunner.journey(["timeline", "PA1", "--store", store], environment: env)
        #expect(timeline.status == 0 && timeline.stdout.contains("withdrew") && !timeline.stdout.contains("inst-zeta-kliniek"), "\(timeline.stdout)")
        #expect(try CommandRunner.journey(["export", "--participant", "PB2", "--store", store], environment: env).stdout == othersBefore)
        #expect(try CommandRunner.journey(["timeline", "PB2", "--store", store, "--format", "json"], environment: env).stdout == timelineBefore)
        let dump = dir.path + "/dump"
        #expect(try CommandRunner.journey(["dump", "--out", dump, "--store", store], environment: env).status == 0)
        let participants = try String(contentsOfFile: dump + "/participants.csv", encoding: .utf8).components(separatedBy: "\r\n")
        #expect(participants.contains { $0.hasPrefix("PA1,,") && $0.hasSuffix(",withdrew,1,0,0,0,0,0,0,,,,0,0") }, "\(participants)")
        #expect(participants.contains { $0 == "PB2,2023-02-01,,,2,1,0,0,0,1,1,,,,1,0" })
        let withdrawnLeftOut = dir.path + "/dump2"
        #expect(try CommandRunner.journey(["dump", "--out", withdrawnLeftOut, "--exclude-withdrawn", "--store", store], environment: env).status == 0)
        #expect(!(try String(contentsOfFile: withdrawnLeftOut + "/participants.csv", encoding: .utf8)).contains("PA1"))

        // Nothing can be added for PA1; forgetting again only compacts again.
        let more = try dir.write("more.jsonl", [#"{"id":"x1","type":"contact","participant":"PA1","at":"2023-03-01","source":"esm","data":{"institution":"inst-omega-opvang"}}"#])
        let rejected = try CommandRunner.journey(["import", more, "--store", store], environment: env)
        #expect(rejected.status != 0 && rejected.stderr.contains("more.jsonl:1: participant: \"PA1\" was forgotten"), "\(rejected.stderr)")
        let again = try CommandRunner.journey(["forget", "PA1", "--reason", "again", "--store", store], environment: env)
        #expect(again.status == 0 && again.stdout.contains("forgotten before"), "\(again.stdout)\(again.stderr)")
        let unknown = try CommandRunner.journey(["forget", "NOBODY", "--reason", "r", "--store", store], environment: env)
        #expect(unknown.status != 0 && unknown.stderr.contains("no participant \"NOBODY\""), "\(unknown.stderr)")

        // The audit lists every operation this test made, with who and what.
        let audit = try CommandRunner.journey(["audit", "--format", "json", "--store", store])
        let entries = try #require(JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [[String: Any]])
        #expect(entries.map { $0["action"] as? String ?? "" } == ["init", "import", "export", "forget", "export", "export", "dump", "dump", "import", "forget"],
                "\(entries.map { $0["action"] ?? "" })")
        let forgets = entries.filter { $0["action"] as? String == "forget" }.map { $0["detail"] as? [String: String] ?? [:] }
        #expect(forgets.first?["participant"] == "PA1" && forgets.first?["reason"] == "withdrew consent" && forgets.first?["events"] == "5")
        #expect(entries.filter { $0["action"] as? String == "forget" }.first?["by"] as? String == "bob")
    }

    @Test func forgetRefusesToCompactWhileAnotherProcessHasTheStoreOpenAndFinishesWhenRunAgain() throws {
        let dir = try Scratch()
        let input = try dir.write("in.jsonl", Self.lines)
        let (store, key) = (dir.path + "/store", dir.path + "/master.key")
        let env = ["JOURNEY_KEY_FILE": key]
        #expect(try CommandRunner.journey(["init", "--encrypt", "--store", store], environment: env).status == 0)
        #expect(try CommandRunner.journey(["import", input, "--store", store], environment: env).status == 0)

        // Another process keeps the environment open (as a long dump or a reader would).
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", "import lmdb, sys, time; env = lmdb.open(sys.argv[1], readonly=True, max_dbs=16); print('open', flush=True); time.sleep(60)", store]
        let ready = Pipe()
        holder.standardOutput = ready
        try holder.run()
        // SIGKILL: a child started by Foundation's Process may have SIGTERM blocked.
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        _ = ready.fileHandleForReading.availableData  // "open"

        let busy = try CommandRunner.journey(["forget", "PA1", "--reason", "withdrew", "--store", store], environment: env)
        #expect(busy.status != 0 && busy.stderr.contains("has the store open"), "\(busy.stdout)\(busy.stderr)")
        // The key is destroyed all the same: nothing of PA1 can be read any more.
        let export = try CommandRunner.journey(["export", "--store", store], environment: env)
        #expect(!export.stdout.contains("orthopedagoog-xyz"))
        // The owed compaction is never silent: every command warns and verify fails.
        #expect(export.stderr.contains("did not finish compacting"), "\(export.stderr)")
        let owed = try CommandRunner.journey(["verify", "--store", store], environment: env)
        #expect(owed.status != 0 && owed.stderr.contains("forget --resume"), "\(owed.stdout)\(owed.stderr)")

        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        let resumed = try CommandRunner.journey(["forget", "--resume", "--store", store], environment: env)
        #expect(resumed.status == 0 && resumed.stdout.contains("compacted"), "\(resumed.stdout)\(resumed.stderr)")
        #expect(try CommandRunner.journey(["verify", "--store", store], environment: env).status == 0)
        let again = try CommandRunner.journey(["forget", "PA1", "--reason", "withdrew", "--store", store], environment: env)
        #expect(again.status == 0 && again.stdout.contains("forgotten before"), "\(again.stdout)\(again.stderr)")
        #expect(!FileManager.default.fileExists(atPath: store + "/.compact"))
    }

    @Test func theQuestionnaireAppsExportImportsIntoAnEncryptedStore() throws {
        let dir = try Scratch()
        let root = CommandRunner.packageRoot
        let (store, key) = (dir.path + "/store", dir.path + "/master.key")
        let env = ["JOURNEY_KEY_FILE": key]
        #expect(try CommandRunner.journey(["init", "--encrypt", "--store", store], environment: env).status == 0)
        let esm = try CommandRunner.journey(["import-esm", root + "/examples/esm-export", "--mapping", root + "/examples/esm-mapping.json",
                                             "--store", store], environment: env)
        #expect(esm.status == 0, "\(esm.stderr)")
        let plain = dir.path + "/plain"
        #expect(try CommandRunner.journey(["import-esm", root + "/examples/esm-export", "--mapping", root + "/examples/esm-mapping.json",
                                           "--store", plain]).status == 0)
        let sealedExport = try CommandRunner.journey(["export", "--store", store], environment: env).stdout
        let plainExport = try CommandRunner.journey(["export", "--store", plain]).stdout
        #expect(!sealedExport.isEmpty && Self.content(sealedExport) == Self.content(plainExport))
        #expect(try CommandRunner.journey(["verify", "--store", store], environment: env).status == 0)
    }
}

extension Data {
    /// Bytes from lower-case or upper-case hex digits (empty on bad input).
    init(hexDigits: String) {
        var bytes: [UInt8] = []
        var chars = Array(hexDigits.utf8).makeIterator()
        while let hi = chars.next(), let lo = chars.next() {
            guard let h = UInt8(String(UnicodeScalar(hi)), radix: 16), let l = UInt8(String(UnicodeScalar(lo)), radix: 16) else { self.init(); return }
            bytes.append(h << 4 | l)
        }
        self.init(bytes)
    }
}
