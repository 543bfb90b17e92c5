import LMDB

/// Every record of a snapshot's log up to a position, found by its seq in an array instead of
/// by a B-tree search: listed by one pass of a cursor over the events database.
///
/// A reader that visits most of the log in another order than the log's - every participant's
/// journey, one after another - otherwise pays a search of the events B-tree per event (about
/// 1,700 instructions and a few cache misses; a fifth of a full rebuild). The table holds only
/// pointers into the memory map (16 bytes an event), so it is valid exactly as long as the
/// snapshot it was made in: use it inside `StoreSnapshot.withRecordTable` only. Read-only once
/// made, it may be read from any thread.
public final class RecordTable: @unchecked Sendable {
    /// The last seq listed.
    public let upto: UInt64
    private let records: UnsafeMutableBufferPointer<UnsafeRawBufferPointer>

    fileprivate init(_ txn: borrowing Transaction, events: Database, upto: UInt64) throws {
        self.upto = upto
        records = .allocate(capacity: Int(upto))
        records.initialize(repeating: UnsafeRawBufferPointer(start: nil, count: 0))
        guard upto > 0 else { return }
        let records = records
        try txn.withCursor(events) { cursor in
            var entry = try cursor.get(.first)
            while let (k, v) = entry {
                guard k.count == 8 else { throw StoreError("event key of \(k.count) bytes (run journey verify)") }
                let seq = StorageLayout.readUInt64(k)
                if seq > upto { break }
                if seq >= 1 { records[Int(seq - 1)] = v }
                entry = try cursor.get(.next)
            }
        }
    }

    deinit { records.deallocate() }

    /// The record at `seq` (1...`upto`), or `nil` where the log has none.
    @inline(__always)
    public func record(_ seq: UInt64) -> UnsafeRawBufferPointer? {
        guard seq >= 1 && seq <= upto else { return nil }
        let r = records[Int(seq - 1)]
        return r.baseAddress == nil ? nil : r
    }
}

extension StoreSnapshot {
    /// Calls `body` with a table of every record up to `upto` (at most the head); the table
    /// must not be used after `body` returns.
    public func withRecordTable<R>(upto: UInt64, _ body: (RecordTable) throws -> R) throws -> R {
        let table = try RecordTable(txn, events: store.events, upto: min(upto, head.seq))
        return try body(table)
    }
}
