import Foundation
import LMDB
import Testing

struct EnvironmentTests {
    private func tempDir() throws -> String {
        let p = NSTemporaryDirectory() + "lmdb-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }

    @Test func mapGrowsByItselfWhenFull() throws {
        let path = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let env = try Environment(path: path, initialMapSize: 64 * 1024)
        let db = try env.openDatabase("data")
        let value = [UInt8](repeating: 7, count: 1000)
        for batch in 0..<20 {
            try env.write { txn in
                for i in 0..<100 { try txn.put(db, key: Array("k\(batch)-\(i)".utf8), value: value) }
            }
        }
        #expect(try env.read { try $0.statistics(db).entries } == 2000)
        #expect(try env.info().mapSize > 64 * 1024)
    }

    /// Making named databases fills the map like any write, and grows it the same way (a store
    /// whose map was full could not be opened for writing, as it made its databases).
    @Test func openingDatabasesGrowsAFullMap() throws {
        let path = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let env = try Environment(path: path, maxDatabases: 512, initialMapSize: 64 * 1024)
        let names = (0..<400).map { "database-\($0)-" + String(repeating: "x", count: 100) }
        let dbs = try env.openDatabases(names)
        #expect(dbs.count == 400)
        #expect(try env.info().mapSize > 64 * 1024)
        let one = try env.openDatabase("one-more-" + String(repeating: "y", count: 100))
        _ = try env.write { txn in try txn.put(one, key: [1], value: [2]) }
        #expect(try env.read { try $0.value(dbs[399], key: [1]) } == nil)
    }

    /// A map grown by another handle (as by another process) is adopted only once no transaction
    /// of this handle is open: remapping under an open snapshot would pull its pages away.
    @Test func aMapGrownElsewhereIsAdoptedOnlyWhenNoTransactionIsOpen() throws {
        let path = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try Environment(path: path, initialMapSize: 1 << 20)
        let db = try writer.openDatabase("data")
        _ = try writer.write { txn in try txn.put(db, key: Array("first".utf8), value: [1]) }
        let reader = try Environment(path: path, initialMapSize: 1 << 20)
        let readerDB = try reader.openDatabase("data")

        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), ended = DispatchSemaphore(value: 0)
        let holder = Thread {
            // A snapshot opened before the growth, read again after it.
            let first = try? reader.read { txn in
                started.signal()
                release.wait()
                return try txn.value(readerDB, key: Array("first".utf8))
            }
            #expect(first == [1])
            ended.signal()
        }
        holder.start()
        started.wait()
        // The other handle grows the file far past the reader's map.
        let value = [UInt8](repeating: 9, count: 2_000)
        for batch in 0..<8 {
            try writer.write { txn in for i in 0..<500 { try txn.put(db, key: Array("k\(batch)-\(i)".utf8), value: value) } }
        }
        #expect(try writer.info().mapSize > 1 << 20)
        let begun = Date()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { release.signal() }
        let seen = try reader.read { txn in try txn.value(readerDB, key: Array("k7-499".utf8)) }
        #expect(seen == value)
        #expect(Date().timeIntervalSince(begun) >= 0.25, "the map was adopted under an open snapshot")
        ended.wait()
    }

    @Test func aThrowingWriteLeavesNothing() throws {
        let path = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let env = try Environment(path: path)
        let db = try env.openDatabase("data")
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try env.write { txn in
                try txn.put(db, key: [1], value: [1])
                throw Stop()
            }
        }
        #expect(try env.read { try $0.value(db, key: [1]) } == nil)
    }

    @Test func duplicateSortedCursorWalk() throws {
        let path = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let env = try Environment(path: path)
        let db = try env.openDatabase("dups", options: [.duplicateSort, .duplicateFixed])
        try env.write { txn in
            for v: UInt8 in [3, 1, 2] { try txn.put(db, key: [9], value: [0, v]) }
            try txn.put(db, key: [8], value: [0, 5])
        }
        let values: [[UInt8]] = try env.read { txn in
            try txn.withCursor(db) { cursor in
                var out: [[UInt8]] = []
                guard try cursor.seek([9], exact: true) != nil else { return out }
                var page = try cursor.get(.multiple)
                while let (_, v) = page {
                    out.append(contentsOf: stride(from: 0, to: v.count, by: 2).map { Array(v[$0..<($0 + 2)]) })
                    page = try cursor.get(.nextMultiple)
                }
                return out
            }
        }
        #expect(values == [[0, 1], [0, 2], [0, 3]])
        #expect(try env.read { txn in try txn.withCursor(db) { try $0.seek(key: [9], value: [0, 2]) } })
        #expect(try env.read { txn in try txn.withCursor(db) { try $0.seek(key: [9], value: [0, 4]) } } == false)
    }

    @Test func openingAMissingDirectoryFailsCleanly() {
        #expect(throws: LMDBError.self) { try Environment(path: "/nonexistent/journey/store") }
    }
}
