import JourneyModel
import LMDB

/// Reads events' content for a projection, one record after another on one thread: from the
/// record table of a whole-cohort run when there is one, else through the events database;
/// sealed groups and data keys are kept from one record to the next (`RecordOpener`).
package struct RecordReader {
    private var opener: RecordOpener
    private let records: RecordTable?

    /// `cacheLimit` 0: only the group opened last is kept (one participant's journey visits each
    /// group's records one after another). `records`: the whole-cohort run's record table.
    package init(store: EventStore, cacheLimit: Int = 64 << 20, records: RecordTable? = nil) {
        opener = RecordOpener(store: store, cacheLimit: cacheLimit, records: records)
        self.records = records
    }

    /// Calls `read` with the type code and JSON of the record at `seq` and returns true; returns
    /// false without calling it for a retraction or a forgotten participant's event (whose
    /// content is gone). A missing record is an error. (Not generic: a generic method of another
    /// module runs unspecialized, looking up type metadata on every call.)
    @inline(__always)
    package mutating func content(of seq: UInt64, in snapshot: borrowing StoreSnapshot,
                                  _ read: (UInt8, UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        if let records {
            return try content(seq, records.record(seq), snapshot.txn, read)
        }
        let events = snapshot.store.events
        return try StorageLayout.withSeqKey(seq) { k in
            try snapshot.txn.withValue(events, key: k) { v in try content(seq, v, snapshot.txn, read) }
        }
    }

    /// As `content(of:in:_:)`, for the record `record` of `seq` read elsewhere (the clustered
    /// copy holds the same bytes as `events`).
    @inline(__always)
    package mutating func content(of seq: UInt64, record: UnsafeRawBufferPointer, in snapshot: borrowing StoreSnapshot,
                                  _ read: (UInt8, UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        try content(seq, record, snapshot.txn, read)
    }

    @inline(__always)
    private mutating func content(_ seq: UInt64, _ v: UnsafeRawBufferPointer?, _ txn: borrowing Transaction,
                                  _ read: (UInt8, UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        guard let v, v.count > StorageLayout.headerSize else { throw StoreError("record \(seq) is missing (run journey verify)") }
        if v[1] == EventType.eventRetracted.rawValue { return false }
        return try opener.withJSON(seq: seq, v, txn) { json in
            guard let json else { return false }
            try read(v[1], json)
            return true
        }
    }
}
