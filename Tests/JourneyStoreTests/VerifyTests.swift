import Foundation
import JourneyModel
import LMDB
import Testing
@testable import JourneyStore

struct VerifyTests {
    /// Flips one byte of the stored record at `seq`, directly through LMDB.
    private func tamper(_ directory: String, seq: UInt64, offset: Int) throws {
        let env = try Environment(path: directory)
        let events = try env.openDatabase("events")
        try env.write { txn in
            let key = StorageLayout.seqKey(seq)
            guard var value = try txn.value(events, key: key) else { throw StoreError("no record \(seq)") }
            value[offset] ^= 0x20
            try txn.put(events, key: key, value: value)
        }
    }

    @Test(arguments: [StorageLayout.headerSize + 10, 9, StorageLayout.hashOffset + 3])
    func verifyDetectsOneAlteredByte(offset: Int) throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/s"
        do {
            let store = try EventStore(directory: path, create: true)
            _ = try store.importFile(try dir.file("a.jsonl", (1...5).map { contact("c\($0)") }))
            #expect(try store.verify().isWhole)
        }
        try tamper(path, seq: 3, offset: offset)
        let report = try EventStore(directory: path).verify()
        #expect(report.problem?.seq == 3)
        #expect(report.problem?.message.contains("hash mismatch") == true)
    }

    @Test func verifyDetectsAMissingIndexEntry() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/s"
        do {
            let store = try EventStore(directory: path, create: true)
            _ = try store.importFile(try dir.file("a.jsonl", (1...5).map { contact("c\($0)") }))
        }
        do {
            // The import's entries are index generation 1 (STORAGE.md, "Index generations").
            let env = try Environment(path: path)
            let ids = try env.openDatabase("ids.1")
            let deleted = try env.write { txn in try txn.delete(ids, key: Array("c4".utf8)) }
            #expect(deleted)
        }
        let report = try EventStore(directory: path).verify()
        #expect(report.problem?.seq == 4)
        #expect(report.problem?.message.contains("id index") == true)
    }

    /// A damaged list of the codebook's definitions (a seq dropped, one that is not a definition,
    /// a torn value) fails `verify`; the importer refuses to read a torn one.
    @Test(arguments: [[UInt64](), [3], [2], [2, 3, 4]])
    func verifyHoldsTheListOfDefinitionsToTheLog(listed: [UInt64]) throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/s"
        let definition = #"{"id":"cov","type":"covariate.defined","at":"2023-01-01","source":"manual","data":{"name":"age","kind":"integer","label":"Age"}}"#
        let item = #"{"id":"st","type":"statement.defined","at":"2023-01-01","source":"manual","data":{"item":"listened","label":"L"}}"#
        do {
            let store = try EventStore(directory: path, create: true)
            _ = try store.importFile(try dir.file("a.jsonl", [contact("c1"), definition, item, contact("c4")]))
            #expect(try store.verify().isWhole)
            var value: [UInt8] = []
            for seq in listed { withUnsafeBytes(of: seq.bigEndian) { value.append(contentsOf: $0) } }
            _ = try store.env.write { txn in try txn.put(store.meta, key: StorageLayout.definitionsKey, value: value) }
        }
        let report = try EventStore(directory: path).verify()
        #expect(report.problem?.message.contains("the list of codebook definitions") == true, "\(report)")
    }

    @Test func aTornListOfDefinitionsIsDamageNotAnEmptyCodebook() throws {
        let dir = try TemporaryDirectory()
        let store = try EventStore(directory: dir.path + "/s", create: true)
        _ = try store.importFile(try dir.file("a.jsonl", [contact("c1")]))
        _ = try store.env.write { txn in try txn.put(store.meta, key: StorageLayout.definitionsKey, value: [0, 0, 0, 1]) }
        #expect(throws: StoreError.self) { try store.env.read { txn in try store.definitionSeqs(upto: .max, txn) } }
        let definition = #"{"id":"cov","type":"covariate.defined","at":"2023-01-01","source":"manual","data":{"name":"age","kind":"integer","label":"Age"}}"#
        #expect(throws: StoreError.self) { try store.importFile(try dir.file("b.jsonl", [definition])) }
        #expect(try store.head().seq == 1)
    }

    @Test func stagedRecordsOfAnInterruptedImportAreInvisibleAndDiscarded() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/s"
        let store = try EventStore(directory: path, create: true)
        _ = try store.importFile(try dir.file("a.jsonl", [contact("c1")]))
        // Simulate a killed import: stage records beyond the head without moving it.
        var options = ImportOptions()
        options.batchSize = 1
        let staged = try dir.file("b.jsonl", [contact("c2"), contact("c3"), "[]"])
        _ = try store.importFile(staged, options: options)  // fails at line 3 and cleans up
        #expect(try store.verify().staged == 0)
        try store.env.write { txn in
            var record: [UInt8] = []
            let json = Array(contact("c9").utf8)
            _ = json.withUnsafeBytes { EventRecord.append(seq: 2, type: .contact, appendedMicros: 0, json: $0, previousHash: LogHead.empty.hash, into: &record) }
            try txn.put(store.events, key: StorageLayout.seqKey(2), value: record)
            try txn.put(store.ids, key: Array("c9".utf8), value: StorageLayout.seqKey(2))
        }
        let report = try store.verify()
        #expect(report.isWhole && report.staged == 1 && report.events == 1)
        #expect(try exported(store).split(separator: "\n").count == 1)
        let next = try store.importFile(try dir.file("c.jsonl", [contact("c9")]))
        #expect(next.discardedStaged == 1 && next.appended == 1)
        #expect(try store.verify().isWhole)
    }
}
