import Foundation
import Testing
@testable import Dumps

/// The rows every format of a dump reads (`TableRows` kept in a `RowSpool`).
struct RowSpoolTests {
    private func directory() throws -> String {
        let path = NSTemporaryDirectory() + "journey-spool-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Rows come back field for field, in the order appended, over batches of any size (texts of
    /// every length, so batches end at every alignment), whether the spool keeps them in memory,
    /// on disk or first one then the other (several megabytes); the CSV form of the same rows is
    /// `csvField`'s.
    @Test(arguments: [RowSpool.memoryBudget, 0, 3 << 20])  // in memory, on disk, both
    func rowsComeBackAsAppended(budget: Int) throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let table = DumpTables.referralNetwork  // from, to, referrals, refused, participants
        let spool = try RowSpool(table, in: dir, memoryBudget: budget)
        var expected: [[String]] = []
        for b in 0..<30_000 {
            var batch = TableRows(TableRows.Form(csv: true, fields: true))
            for r in 0..<(b % 7) {
                let from = String(repeating: "x", count: (b + r) % 5) + (r == 2 ? "a,\"b\"" : "")
                batch.field(from)
                batch.field(bytes: r == 1 ? nil : ArraySlice("to-\(b)".utf8))
                batch.field(b * 1000 - r)
                batch.field(r == 3 ? nil : 0.25 * Double(r), decimals: 4)
                batch.field(r % 2 == 0)
                batch.endRow()
                expected.append([from, r == 1 ? "" : "to-\(b)", String(b * 1000 - r), r == 3 ? "" : ["0", "0.25", "0.5", "", "1", "1.25", "1.5"][r], r % 2 == 0 ? "true" : "false"])
            }
            if b == 10 {
                #expect(String(decoding: batch.csv, as: UTF8.self).contains("\r\n\"xxa,\"\"b\"\"\",to-10,9998,0.5,true\r\n"))
            }
            try spool.append(batch)
        }
        try spool.finishWriting()
        var found: [[String]] = []
        try spool.forEachRow { fields in found.append(fields.map { String(decoding: $0, as: UTF8.self) }) }
        #expect(found == expected)
        #expect(spool.rows == expected.count)
    }

    /// A spool cut short is an error naming its file, not rows made up from what is left.
    @Test func aDamagedSpoolIsAClearError() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spool = try RowSpool(DumpTables.referralNetwork, in: dir, memoryBudget: 0)  // on disk
        var batch = TableRows(TableRows.Form(csv: false, fields: true))
        batch.row(["a", "b", "1", "0", "1"])
        try spool.append(batch)
        try spool.finishWriting()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: spool.path)[.size] as? Int)
        #expect(truncate(spool.path, off_t(size - 6)) == 0)
        #expect {
            try spool.forEachRow { _ in }
        } throws: { error in
            "\(error)".contains(spool.path)
        }
    }
}
