import CLMDB

/// An open LMDB transaction, lent to a closure by `Environment.read` or `Environment.write`.
///
/// It is `~Copyable` and passed `borrowing`, so it cannot escape the closure, and the closure is
/// synchronous, so it cannot be carried across `await`. Buffers it hands out point into the
/// memory map and are valid only inside the closure that received them: copy what you keep.
public struct Transaction: ~Copyable {
    let txn: OpaquePointer
    /// True for a read-only snapshot.
    public let isReadOnly: Bool

    init(txn: OpaquePointer, isReadOnly: Bool) {
        self.txn = txn
        self.isReadOnly = isReadOnly
    }

    /// Another handle on this same transaction, for a `~Copyable` wrapper that is itself only
    /// lent `borrowing` to a closure; it must not outlive the closure that received `self`.
    package func sharedHandle() -> Transaction { Transaction(txn: txn, isReadOnly: isReadOnly) }

    /// Calls `body` with the value stored under `key`, or `nil` when there is none.
    public func withValue<R>(
        _ database: Database, key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val()
        let rc = mdb_get(txn, database.dbi, &k, &v)
        if rc == MDB_NOTFOUND { return try body(nil) }
        try check(rc, "mdb_get", context: database.name)
        return try body(UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    /// The value stored under `key`, copied out, or `nil`.
    public func value(_ database: Database, key: [UInt8]) throws -> [UInt8]? {
        try key.withUnsafeBytes { k in try withValue(database, key: k) { $0.map { Array($0) } } }
    }

    /// Stores `value` under `key`. Returns false when `options` forbade it because the key (or
    /// key/value pair) was already there.
    @discardableResult
    public func put(
        _ database: Database, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, options: PutOptions = []
    ) throws -> Bool {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        let rc = mdb_put(txn, database.dbi, &k, &v, options.rawValue)
        if rc == MDB_KEYEXIST { return false }
        try check(rc, "mdb_put", context: database.name)
        return true
    }

    /// Stores `value` under `key` (array convenience).
    @discardableResult
    public func put(_ database: Database, key: [UInt8], value: [UInt8], options: PutOptions = []) throws -> Bool {
        try key.withUnsafeBytes { k in try value.withUnsafeBytes { v in try put(database, key: k, value: v, options: options) } }
    }

    /// Deletes `key` (or, in a duplicate database with `value`, that one pair). Returns false when absent.
    @discardableResult
    public func delete(_ database: Database, key: [UInt8], value: [UInt8]? = nil) throws -> Bool {
        try key.withUnsafeBytes { kb in
            var k = MDB_val(mv_size: kb.count, mv_data: UnsafeMutableRawPointer(mutating: kb.baseAddress))
            let rc: Int32
            if let value {
                rc = value.withUnsafeBytes { vb in
                    var v = MDB_val(mv_size: vb.count, mv_data: UnsafeMutableRawPointer(mutating: vb.baseAddress))
                    return mdb_del(txn, database.dbi, &k, &v)
                }
            } else {
                rc = mdb_del(txn, database.dbi, &k, nil)
            }
            if rc == MDB_NOTFOUND { return false }
            try check(rc, "mdb_del", context: database.name)
            return true
        }
    }

    /// Removes every entry of `database`, keeping the database itself.
    public func clear(_ database: Database) throws {
        try check(mdb_drop(txn, database.dbi, 0), "mdb_drop", context: database.name)
    }

    /// Opens a cursor on `database` for the duration of `body`.
    public func withCursor<R>(_ database: Database, _ body: (borrowing Cursor) throws -> R) throws -> R {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(txn, database.dbi, &cursor), "mdb_cursor_open", context: database.name)
        guard let cursor else { throw LMDBError(code: .invalid, operation: "mdb_cursor_open", context: database.name) }
        defer { mdb_cursor_close(cursor) }
        return try body(Cursor(cursor: cursor, database: database))
    }

    /// Entry count, depth and page count of `database`.
    public func statistics(_ database: Database) throws -> DatabaseStatistics {
        var stat = MDB_stat()
        try check(mdb_stat(txn, database.dbi, &stat), "mdb_stat", context: database.name)
        return DatabaseStatistics(
            entries: stat.ms_entries, depth: Int(stat.ms_depth),
            pages: stat.ms_branch_pages + stat.ms_leaf_pages + stat.ms_overflow_pages)
    }
}
