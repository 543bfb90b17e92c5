import Foundation
import LMDB

/// Every record of a snapshot's log up to a position, found by its seq in an array instead of
/// by a B-tree search: listed by a pass of a cursor over the events database.
///
/// A reader that visits most of the log in another order than the log's - every participant's
/// journey, one after another - otherwise pays a search of the events B-tree per event (about
/// 1,700 instructions and a few cache misses; a fifth of a full rebuild). The table holds only
/// pointers into the memory map (16 bytes an event), so it is valid exactly as long as the
/// snapshots it was listed in: use it inside `StoreSnapshot.withRecordTable` only. Read-only
/// once listed, it may be read from any thread.
package final class RecordTable: @unchecked Sendable {
    /// The last seq listed.
    package let upto: UInt64
    private let records: UnsafeMutableBufferPointer<UnsafeRawBufferPointer>

    fileprivate init(upto: UInt64) {
        self.upto = upto
        records = .allocate(capacity: Int(upto))
        records.initialize(repeating: UnsafeRawBufferPointer(start: nil, count: 0))
    }

    deinit { records.deallocate() }

    /// Lists the records `from...to` as `txn` sees them (each range listed by one thread).
    fileprivate func list(_ txn: borrowing Transaction, events: Database, from: UInt64, to: UInt64) throws {
        guard from <= to else { return }
        let records = records
        try txn.withCursor(events) { cursor in
            var entry = try cursor.seek(StorageLayout.seqKey(from))
            while let (k, v) = entry {
                guard k.count == 8 else { throw StoreError("event key of \(k.count) bytes (run journey verify)") }
                let seq = StorageLayout.readUInt64(k)
                if seq > to { break }
                records[Int(seq - 1)] = v
                entry = try cursor.get(.next)
            }
        }
    }

    /// The record at `seq` (1...`upto`), or `nil` where the log has none.
    @inline(__always)
    package func record(_ seq: UInt64) -> UnsafeRawBufferPointer? {
        guard seq >= 1 && seq <= upto else { return nil }
        let r = records[Int(seq - 1)]
        return r.baseAddress == nil ? nil : r
    }
}

extension StoreSnapshot {
    /// Calls `body` with a table of every record up to `upto` (at most the head); the table
    /// must not be used after `body` returns.
    ///
    /// The first half of the log is listed here, the second meanwhile on a thread of its own in
    /// a snapshot of its own (the records of a log position never change, so both snapshots
    /// hold the same bytes), which stays open until `body` returns: the pass touches every page
    /// of the log, a serial tenth of a full rebuild when one thread made it.
    package func withRecordTable<R>(upto: UInt64, _ body: (RecordTable) throws -> R) throws -> R {
        let last = min(upto, head.seq)
        let table = RecordTable(upto: last)
        let half = last / 2
        let helper = SnapshotHelper(store: store) { txn, events in try table.list(txn, events: events, from: half + 1, to: last) }
        defer { helper.finish() }
        try table.list(txn, events: store.events, from: 1, to: half)
        try helper.waitUntilDone()
        return try body(table)
    }
}

/// A thread that runs a job in a read snapshot of its own and keeps the snapshot open until
/// told to finish (what the job found in the memory map stays valid meanwhile).
private final class SnapshotHelper: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let release = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private var failure: (any Error)?
    /// Set (on the caller's thread) once `waitUntilDone` has seen the job end.
    private var waited = false

    init(store: EventStore, job: @escaping @Sendable (borrowing Transaction, Database) throws -> Void) {
        let thread = Thread { [self] in
            do {
                try store.env.read { txn in
                    do { try job(txn, store.events) } catch { failure = error }
                    done.signal()
                    release.wait()
                }
            } catch {
                failure = error
                done.signal()
            }
            finished.signal()
        }
        thread.start()
    }

    /// Waits for the job; rethrows its error.
    func waitUntilDone() throws {
        if !waited { done.wait() }
        waited = true
        if let failure { throw failure }
    }

    /// Closes the snapshot (after the job is done) and waits for the thread to end.
    func finish() {
        if !waited { done.wait() }
        waited = true
        release.signal()
        finished.wait()
    }
}
