import Foundation
import Testing
@testable import JourneyModel
@testable import JourneyStore
import LMDB

/// The encrypted store in-process: groups that span batches and reach their size limits, lookups
/// of earlier lines (duplicates, conflicts, retraction targets) inside a batch and across batches,
/// an interrupted import's leftovers, and verification with and without the key.
struct EncryptedStoreTests {
    static func makeStore(_ dir: TemporaryDirectory) throws -> (EventStore, MasterKey, String) {
        let keyPath = dir.path + "/master.key"
        let key = try MasterKey.create(path: keyPath)
        let path = dir.path + "/s"
        return (try EventStore(directory: path, create: true, key: key, encrypt: true), key, path)
    }

    @Test func groupsAcrossBatchesAndLimitsReadBackExactly() throws {
        let dir = try TemporaryDirectory()
        let (store, key, path) = try Self.makeStore(dir)
        // 700 events of one participant (more than a group holds), some of others, a long one
        // (groups also end at a byte limit), codings without a participant.
        var lines = [coded]
        for i in 0..<700 { lines.append(contact("a\(i)", "P1", at: "2023-05-\(10 + i % 18)")) }
        for i in 0..<90 { lines.append(contact("b\(i)", "P\(2 + i % 3)")) }
        let long = String(repeating: "x", count: 40_000)
        lines.append(#"{"id":"long1","type":"contact","participant":"P1","at":"2023-06-01","source":"esm","data":{"institution":"inst-a","reason":"\#(long)"}}"#)
        lines.append(#"{"id":"long2","type":"contact","participant":"P1","at":"2023-06-02","source":"esm","data":{"institution":"inst-a","reason":"\#(long)"}}"#)
        lines.append(retraction("r1", of: "a3"))      // target in an earlier batch
        lines.append(contact("a5", "P1", at: "2023-05-15"))  // duplicate of an earlier batch's line
        lines.append(retraction("r2", of: "long1"))   // target in the same batch
        lines.append(lines[lines.count - 4])           // duplicate of a line in the same batch
        var options = ImportOptions()
        options.batchSize = 128
        let file = try dir.file("in.jsonl", lines)
        let report = try store.importFile(file, options: options)
        #expect(report.succeeded, "\(report.errors)")
        #expect(report.appended == lines.count - 2 && report.duplicates == 2)

        let plainStore = try EventStore(directory: dir.path + "/plain", create: true)
        #expect(try plainStore.importFile(file, options: options).appended == report.appended)
        #expect(withoutStoreTimes(try exported(store)) == withoutStoreTimes(try exported(plainStore)))
        #expect(withoutStoreTimes(try exported(store, participant: "P1")) == withoutStoreTimes(try exported(plainStore, participant: "P1")))
        #expect(try store.verify().isWhole)

        // Reading without the key: verify works, content does not.
        let locked = try EventStore(directory: path)
        let check = try locked.verify()
        #expect(check.isWhole && !check.contentChecked)
        #expect(throws: StoreError.self) { try exported(locked) }

        // A conflict with an earlier batch's event is found through its sealed group.
        let conflict = try store.importFile(try dir.file("c.jsonl", [contact("a600", "P1", at: "2024-01-01")]), options: options)
        #expect(!conflict.succeeded && conflict.errors.first?.message.contains("already in the log") == true)
        #expect(try store.importFile(file, options: options).duplicates == lines.count)

        // Reopened with the key, everything is the same.
        let reopened = try EventStore(directory: path, writable: true, key: key)
        #expect(withoutStoreTimes(try exported(reopened)) == withoutStoreTimes(try exported(plainStore)))
    }

    /// A rejected file may have made data keys that were never written; a later file in the
    /// same process must not seal with them.
    @Test func aRejectedFileLeavesNoUnwrittenKeyBehindForTheNextOne() throws {
        let dir = try TemporaryDirectory()
        let (store, key, path) = try Self.makeStore(dir)
        #expect(try store.importFile(try dir.file("ok.jsonl", [coded, contact("c1")])).succeeded)
        let rejected = try store.importFile(try dir.file("bad.jsonl", [contact("n1", "PNEW"), #"{"id":"x"}"#]))
        #expect(!rejected.succeeded)
        let next = try store.importFile(try dir.file("next.jsonl", [contact("n1", "PNEW")]))
        #expect(next.succeeded && next.appended == 1)
        // Another process (a fresh cipher) reads PNEW's event with the key in the store.
        let reopened = try EventStore(directory: path, key: key)
        #expect(try exported(reopened, participant: "PNEW").contains(#""id":"n1""#))
        #expect(try reopened.verify().isWhole)
    }

    @Test func aDamagedSealedGroupIsFoundByVerifyWithAndWithoutTheKey() throws {
        let dir = try TemporaryDirectory()
        let (store, key, path) = try Self.makeStore(dir)
        #expect(try store.importFile(try dir.file("in.jsonl", [coded, contact("c1"), contact("c2"), contact("c3", "P2")])).succeeded)
        // Flip one byte of the ciphertext of the group that starts at seq 2.
        try store.env.write { txn in
            var record = try #require(try txn.value(store.events, key: StorageLayout.seqKey(2)))
            record[record.count - 20] ^= 1
            try txn.put(store.events, key: StorageLayout.seqKey(2), value: record)
        }
        let withKey = try EventStore(directory: path, key: key).verify()
        #expect(withKey.problem?.seq == 2)
        let withoutKey = try EventStore(directory: path).verify()
        #expect(withoutKey.problem?.seq == 2 && withoutKey.problem?.message.contains("hash mismatch") == true)
    }
}
