import Foundation
import JourneyModel
@testable import JourneyStore
import LMDB
import Testing
@testable import Projections

/// `journey cluster` copies each participant's records together; a journey read through the
/// copy - with later events read by seq - is the journey read from the log alone, at every log
/// position, and `verify` holds the copy to the log.
struct ClusterTests {
    /// Every participant's journey (full, compact and in dump form) at several log positions.
    private func journeys(_ f: Fixture) throws -> [String] {
        try f.state.catchUp()
        let head = try f.store.head().seq
        var out: [String] = []
        for upto in [1, 40, 150, head / 2, head] as [UInt64] {
            try f.state.view(upto: upto) { view in
                for p in try view.participants() + ["nobody"] {
                    let full = try view.journey(of: p).map { "\($0.seq):\($0.event.id):\($0.event.type.name)" }
                    let compact = try view.compactJourney(of: p).map { "\($0.seq)/\($0.type.name)/\($0.day)" }
                    let (dump, texts, _) = try view.dumpJourney(of: p)
                    out.append("\(upto) \(p) \(full) \(compact) \(dump.map(\.seq)) \(texts.bytes.count)")
                }
            }
        }
        return out
    }

    private func clusteredUpto(_ f: Fixture) throws -> UInt64 { try f.store.read { try $0.clusteredUpto() } }

    @Test(arguments: [7, 100_000])
    func aClusteredStoreReadsEveryJourneyAsTheLogAlone(chunk: Int) throws {
        let lines = CatchUpPropertyTests.randomStream(seed: 41, count: 400)
        let plain = try Fixture(), clustered = try Fixture()
        for f in [plain, clustered] {
            for part in 0..<3 { try f.importLines(Array(lines[(part * 100)..<((part + 1) * 100)])) }
        }
        let report = try clustered.store.cluster(by: "t", chunk: chunk)
        #expect(report.upto == 300)
        #expect(try clusteredUpto(clustered) == 300)
        #expect(report.records == (try clustered.store.read { s in try s.participants().reduce(0) { $0 + (try s.seqs(ofParticipant: $1).count) } }))
        #expect(try journeys(clustered) == journeys(plain))
        #expect(try clustered.store.verify().isWhole)
        #expect(try clustered.store.auditEntries().last?.action == "cluster")

        // Events imported later are read by seq, after the copy's.
        for f in [plain, clustered] { try f.importLines(Array(lines[300...])) }
        #expect(try clusteredUpto(clustered) == 300)
        #expect(try journeys(clustered) == journeys(plain))
        #expect(try clustered.store.verify().isWhole)
        // Clustering again covers them too.
        #expect(try clustered.store.cluster(by: "t", chunk: chunk).upto == 400)
        #expect(try journeys(clustered) == journeys(plain))
        #expect(try clustered.store.verify().isWhole)
    }

    @Test func aStoppedRunLeavesTheStoreReadingAsBeforeAndARerunCompletesIt() throws {
        let lines = CatchUpPropertyTests.randomStream(seed: 43, count: 200)
        let plain = try Fixture(), store = try Fixture()
        for f in [plain, store] { try f.importLines(lines) }
        let expected = try journeys(plain)
        #expect(throws: StoreError.self) { try store.store.cluster(by: "t", chunk: 10, testingStopAfterChunks: 2) }
        // Half a copy is there, but not marked complete: nothing reads it.
        #expect(try store.store.read { s in try s.txn.statistics(s.store.journeys!).entries } == 20)
        #expect(try clusteredUpto(store) == 0)
        #expect(try journeys(store) == expected)
        #expect(try store.store.verify().isWhole)
        // A complete run made before is no longer trusted once a new run has begun.
        _ = try store.store.cluster(by: "t")
        #expect(throws: StoreError.self) { try store.store.cluster(by: "t", chunk: 10, testingStopAfterChunks: 1) }
        #expect(try clusteredUpto(store) == 0)
        #expect(try journeys(store) == expected)
        _ = try store.store.cluster(by: "t", chunk: 10)
        #expect(try clusteredUpto(store) == 200)
        #expect(try journeys(store) == expected)
        #expect(try store.store.verify().isWhole)
    }

    @Test func verifyFindsACopyThatDiffersFromTheLog() throws {
        let f = try Fixture()
        try f.importLines(CatchUpPropertyTests.randomStream(seed: 47, count: 120))
        _ = try f.store.cluster(by: "t")
        let journeys = try #require(f.store.journeys)
        // One record altered in the copy.
        let (key, value) = try f.store.env.read { txn in
            try txn.withCursor(journeys) { cursor in try cursor.get(.first).map { (Array($0.key), Array($0.value)) } }
        }!
        var altered = value
        altered[altered.count - 2] ^= 1
        try f.store.env.write { txn in _ = try txn.put(journeys, key: key, value: altered) }
        let damaged = try f.store.verify()
        #expect(damaged.problem?.message.contains("differs from the log's record") == true, "\(String(describing: damaged.problem))")
        // One record missing from the copy.
        try f.store.env.write { txn in
            _ = try txn.put(journeys, key: key, value: value)
            _ = try txn.delete(journeys, key: key)
        }
        let missing = try f.store.verify()
        #expect(missing.problem?.message.contains("records for") == true, "\(String(describing: missing.problem))")
        // A single journey is read through the copy (which is why verify checks it): the
        // record taken out of the copy is missing from its participant's journey.
        let participant = String(decoding: key[0..<(key.count - 9)], as: UTF8.self), seq = key.withUnsafeBytes { StorageLayout.readUInt64($0, at: key.count - 8) }
        try f.state.catchUp()
        let read = try f.state.view { try $0.journey(of: participant).map(\.seq) }
        let logged = try f.store.read { try $0.seqs(ofParticipant: participant) }
        #expect(!read.contains(seq) && logged.contains(seq))
        // A copy that claims more than the head.
        try f.store.env.write { txn in _ = try txn.put(f.store.meta, key: StorageLayout.clusteredKey, value: StorageLayout.seqKey(999)) }
        #expect(try f.store.verify().problem?.message.contains("beyond the head") == true)
    }

    @Test func anEncryptedStoreIsClusteredSealed() throws {
        let keyDirectory = NSTemporaryDirectory() + "journey-key-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: keyDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: keyDirectory) }
        let key = try MasterKey.create(path: keyDirectory + "/master.key")
        let lines = CatchUpPropertyTests.randomStream(seed: 53, count: 240)
        let plain = try Fixture(), sealed = try Fixture(encryptedWith: key)
        for f in [plain, sealed] {
            try f.importLines(Array(lines[..<120]))
            try f.importLines(Array(lines[120...]))
        }
        _ = try sealed.store.cluster(by: "t")
        #expect(try clusteredUpto(sealed) == 240)
        #expect(try journeys(sealed) == journeys(plain))
        #expect(try sealed.store.verify().isWhole)
        // Nothing in the copy is in the clear: every value is a sealed record.
        let journeysDB = try #require(sealed.store.journeys)
        let formats = try sealed.store.env.read { txn in
            try txn.withCursor(journeysDB) { cursor in
                var bytes: Set<UInt8> = []
                var entry = try cursor.get(.first)
                while let (_, v) = entry {
                    bytes.insert(v[0])
                    entry = try cursor.get(.next)
                }
                return bytes
            }
        }
        #expect(formats == [SealedRecord.version])
    }

    @Test func aStoreOnAMapThatMustGrowIsClustered() throws {
        let lines = CatchUpPropertyTests.randomStream(seed: 59, count: 300)
        let plain = try Fixture()
        try plain.importLines(lines)
        let path = NSTemporaryDirectory() + "journey-tight-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        let tight = try EventStore(directory: path, create: true, initialMapSize: 1 << 16, testingTightMap: true)
        let file = path + ".jsonl"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try tight.importFile(file).succeeded)
        #expect(try tight.cluster(by: "t", chunk: 50).records > 0)
        #expect(try tight.verify().isWhole)
        let state = try ProjectionState(store: tight)
        try state.catchUp()
        let tightJourneys = try state.view { v in try v.participants().map { try v.journey(of: $0).map(\.seq) } }
        try plain.state.catchUp()
        let plainJourneys = try plain.state.view { v in try v.participants().map { try v.journey(of: $0).map(\.seq) } }
        #expect(tightJourneys == plainJourneys)
    }
}
