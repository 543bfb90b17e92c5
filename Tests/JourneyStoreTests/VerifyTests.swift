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
