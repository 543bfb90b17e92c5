import Foundation
import Testing
import LMDB
@testable import JourneyStore

/// A record table lists, for every seq up to its position, exactly the record a look-up by key
/// finds - both halves (listed on two threads in two snapshots), odd and even lengths, a
/// position short of the head, an empty log - and nothing past its position.
struct RecordTableTests {
    @Test(arguments: [0, 1, 2, 7, 200] as [Int])
    func listsExactlyTheRecordsALookUpFinds(events: Int) throws {
        let dir = try TemporaryDirectory()
        let store = try EventStore(directory: dir.path + "/s", create: true)
        if events > 0 {
            let report = try store.importFile(try dir.file("a.jsonl", (0..<events).map { contact("c\($0)", "P\($0 % 3)") }))
            #expect(report.succeeded)
        }
        for upto in Set([0, events / 2, events, events + 5]) {
            try store.read { snapshot in
                try snapshot.withRecordTable(upto: UInt64(upto)) { table in
                    #expect(table.upto == UInt64(min(upto, events)))
                    for seq in 0...UInt64(events + 1) {
                        let listed = table.record(seq).map { Array($0) }
                        let found = seq >= 1 && seq <= table.upto
                            ? try StorageLayout.withSeqKey(seq) { k in try snapshot.txn.withValue(store.events, key: k) { $0.map { Array($0) } } }
                            : nil
                        #expect(listed == found, "seq \(seq) of \(events), upto \(upto)")
                        if seq >= 1 && seq <= table.upto { #expect(listed != nil) }
                    }
                }
            }
        }
    }

    /// Imports while a table is in use change nothing it lists (its snapshots stay open).
    @Test func aTableOutlivesImportsMadeWhileItIsUsed() throws {
        let dir = try TemporaryDirectory()
        let store = try EventStore(directory: dir.path + "/s", create: true)
        _ = try store.importFile(try dir.file("a.jsonl", (0..<50).map { contact("a\($0)") }))
        try store.read { snapshot in
            try snapshot.withRecordTable(upto: 50) { table in
                let before = (1...50).map { table.record(UInt64($0)).map { Array($0) } }
                for round in 0..<3 {
                    _ = try store.importFile(try dir.file("b\(round).jsonl", (0..<400).map { contact("b\(round)-\($0)") }))
                }
                #expect((1...50).map { table.record(UInt64($0)).map { Array($0) } } == before)
                #expect(table.record(51) == nil)
            }
        }
    }
}
