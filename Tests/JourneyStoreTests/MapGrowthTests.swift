import Foundation
import Testing
@testable import JourneyModel
@testable import JourneyStore
import LMDB

/// The LMDB map grows at every write stage: each write transaction of a "tight" store starts on
/// a map just large enough for the pages in use, so staging a batch, flushing the index entries,
/// moving the head, merging index generations, writing an audit entry and forgetting a
/// participant all fill the map, grow it and run again. The result must equal, event for event, a store that never had to grow.
struct MapGrowthTests {
    /// Three files: the first alone, the second with retractions and duplicates reaching back
    /// into the first and into earlier batches of its own, the third one of many participants.
    static func files(_ dir: TemporaryDirectory) throws -> [String] {
        var first = [coded]
        for i in 0..<700 { first.append(contact("a\(i)", "P\(i % 7)", at: "2023-05-\(10 + i % 18)")) }
        var second: [String] = []
        for i in 0..<500 { second.append(contact("b\(i)", "Q\(i % 11)", institution: "inst-\(i % 5)")) }
        second.append(retraction("r1", of: "a3", participant: "P3"))
        second.append(retraction("r2", of: "b7", participant: "Q7"))
        second.append(first[10])  // a duplicate of the log
        second.append(second[3])  // a duplicate of an earlier batch of this file
        var third: [String] = []
        for i in 0..<900 { third.append(contact("c\(i)", "R\(i)", institution: "inst-z\(i % 13)")) }
        return [try dir.file("1.jsonl", first), try dir.file("2.jsonl", second), try dir.file("3.jsonl", third)]
    }

    static func importAll(_ store: EventStore, _ files: [String], partEntries: Int = 131_072) throws -> [ImportReport] {
        var options = ImportOptions()
        options.batchSize = 64
        options.stagedIndexEvents = 640  // index entries are flushed every 640 events and at each commit
        options.indexPartEntries = partEntries
        return try files.map { try store.importFile($0, options: options) }
    }

    @Test func aStoreThatGrowsAtEveryStageEqualsOneThatNeverGrew() throws {
        let dir = try TemporaryDirectory()
        let files = try Self.files(dir)
        let roomy = try EventStore(directory: dir.path + "/roomy", create: true)
        let tight = try EventStore(directory: dir.path + "/tight", create: true, initialMapSize: 1 << 16, testingTightMap: true)
        let expected = try Self.importAll(roomy, files)
        // Flushes in parts of 100 entries, one transaction each, as a large import writes them.
        let got = try Self.importAll(tight, files, partEntries: 100)
        #expect(got.map(\.appended) == expected.map(\.appended))
        #expect(got.map(\.duplicates) == expected.map(\.duplicates))
        #expect(got.allSatisfy { $0.succeeded }, "\(got.map { $0.errors })")
        // The third import's generations make five of the smallest class: merged, also on a map that must grow.
        #expect(got.map(\.indexMerges) == [0, 0, 1] && got.allSatisfy { $0.indexMergeProblem == nil })
        #expect(try tight.head().seq == 2_103)
        #expect(withoutStoreTimes(try exported(tight)) == withoutStoreTimes(try exported(roomy)))
        #expect(try tight.verify().isWhole)
        let entries = try tight.recordAudit(action: "test", by: "t", detail: ["n": "1"])
        #expect(entries.logHead == 2_103)
        #expect(try tight.verifyAudit().problem == nil)
        // Every write transaction had to grow the map at least once.
        #expect(tight.env.timesGrown >= 30)
    }

    /// The codebook's definitions (contract 4.1) are listed in the transaction that moves the head:
    /// on a map that must grow there too, the list equals that of a store that never grew, and
    /// `verify` holds it to the log.
    @Test func codebookDefinitionsAreListedOnAMapThatMustGrow() throws {
        let dir = try TemporaryDirectory()
        var lines: [String] = []
        for i in 0..<400 {
            lines.append(contact("d\(i)", "D\(i % 9)"))
            if i % 100 == 7 {
                lines.append(#"{"id":"cov\#(i)","type":"covariate.defined","at":"2023-01-01","source":"manual","data":{"name":"c\#(i)","kind":"text","label":"c"}}"#)
            }
        }
        let files = try Self.files(dir) + [try dir.file("4.jsonl", lines)]
        let roomy = try EventStore(directory: dir.path + "/roomy", create: true)
        let tight = try EventStore(directory: dir.path + "/tight", create: true, initialMapSize: 1 << 16, testingTightMap: true)
        _ = try Self.importAll(roomy, files)
        let got = try Self.importAll(tight, files, partEntries: 100)
        #expect(got.allSatisfy { $0.succeeded }, "\(got.map { $0.errors })")
        let listed = try tight.env.read { txn in try tight.definitionSeqs(upto: .max, txn) }
        let expected = try roomy.env.read { txn in try roomy.definitionSeqs(upto: .max, txn) }
        #expect(listed.count == 4 && listed == expected)
        #expect(try tight.verify().isWhole)
    }

    @Test func anEncryptedStoreGrowsAtEveryStageIncludingForget() throws {
        let dir = try TemporaryDirectory()
        let files = try Self.files(dir)
        let key = try MasterKey.create(path: dir.path + "/master.key")
        let roomy = try EventStore(directory: dir.path + "/roomy", create: true, key: key, encrypt: true)
        let tightPath = dir.path + "/tight"
        do {
            // Closed before forget: its compaction waits for every open store of the directory.
            let tight = try EventStore(directory: tightPath, create: true, initialMapSize: 1 << 16, key: key, encrypt: true,
                                       testingTightMap: true)
            let expected = try Self.importAll(roomy, files)
            let got = try Self.importAll(tight, files)
            #expect(got.map(\.appended) == expected.map(\.appended))
            #expect(got.allSatisfy { $0.succeeded }, "\(got.map { $0.errors })")
            #expect(withoutStoreTimes(try exported(tight)) == withoutStoreTimes(try exported(roomy)))
            #expect(try tight.verify().isWhole)
        }
        let report = try EventStore.forget(participant: "P3", reason: "withdrew consent", by: "t", directory: tightPath, key: key,
                                           compactionWait: 5, testingTightMap: true)
        #expect(report.appendedSeq == 2_104)
        let after = try EventStore(directory: tightPath, key: key)
        #expect(try after.verify().isWhole)
        #expect(try after.head().seq == 2_104)
        #expect(try after.owedCompaction().isEmpty)
        // Each write's audit entry was written once, with the write, however often it ran again.
        #expect(try after.auditEntries().map(\.action) == ["import", "import", "import", "forget"])
        #expect(try after.auditEntries().last?.logHead == 2_104)
    }
}

/// A flush written in several transactions leaves a store that readers and the next import
/// handle like any interrupted import: records first, index parts, the head last.
struct InterruptedFlushTests {
    @Test(arguments: [1, 2, 5])
    func anImportStoppedBetweenIndexTransactionsLeavesTheLogWholeAndARerunCompletesIt(parts: Int) throws {
        let dir = try TemporaryDirectory()
        let files = try MapGrowthTests.files(dir)
        let reference = try EventStore(directory: dir.path + "/reference", create: true)
        let store = try EventStore(directory: dir.path + "/s", create: true)
        var options = ImportOptions()
        options.batchSize = 64
        options.stagedIndexEvents = 640
        options.indexPartEntries = 100
        for file in files.prefix(2) {
            #expect(try reference.importFile(file, options: options).succeeded)
            #expect(try store.importFile(file, options: options).succeeded)
        }
        var failing = options
        failing.failAfterIndexParts = parts
        #expect(throws: StoreError.self) { try store.importFile(files[2], options: failing) }
        // The log is as it was before the file; what the stopped import wrote is ignored.
        let verify = try store.verify()
        #expect(verify.isWhole && verify.events == 1_203 && verify.staged > 0, "\(verify)")
        // The next import clears it and appends the file once.
        let rerun = try store.importFile(files[2], options: options)
        #expect(rerun.succeeded && rerun.appended == 900 && rerun.discardedStaged > 0)
        #expect(try reference.importFile(files[2], options: options).appended == 900)
        #expect(try store.verify().isWhole)
        #expect(withoutStoreTimes(try exported(store)) == withoutStoreTimes(try exported(reference)))
        #expect(try store.read { try $0.seqs(ofParticipant: "R5") } == reference.read { try $0.seqs(ofParticipant: "R5") })
    }
}

/// A participant's data key is destroyed in the transaction that moves the head past the event
/// recording it, however the import's writes are split: an import stopped before that leaves
/// the key whole and no compaction owed.
struct ForgetAtomicityTests {
    @Test func aForgettingImportStoppedBeforeItsHeadMovesDestroysNoKey() throws {
        let dir = try TemporaryDirectory()
        let key = try MasterKey.create(path: dir.path + "/master.key")
        let store = try EventStore(directory: dir.path + "/s", create: true, key: key, encrypt: true)
        #expect(try store.importFile(try dir.file("a.jsonl", [coded, contact("c1", "P3"), contact("c2", "P9")])).succeeded)
        var options = ImportOptions()
        options.forgetting = "P3"
        options.indexPartEntries = 1  // two events: the index entries in two transactions
        options.failAfterIndexParts = 1
        let lines = [
            #"{"id":"forgotten:P3","type":"participant.exited","participant":"P3","at":"2024-01-01T00:00:00Z","source":"manual","data":{"reason":"withdrew"}}"#,
            contact("c3", "P9"),
        ]
        #expect(throws: StoreError.self) { try store.importData(Array((lines.joined(separator: "\n") + "\n").utf8), name: "forget", options: options) }
        let (wrapped, owed) = try store.read { snapshot in
            (try snapshot.txn.sharedHandle().value(store.keys!, key: Array("P3".utf8)), try snapshot.txn.sharedHandle().value(store.meta, key: StorageLayout.compactionKey))
        }
        #expect(wrapped?.isEmpty == false, "the key was destroyed by an import that did not commit")
        #expect(owed == nil)
        #expect(try store.verify().isWhole)
    }
}
