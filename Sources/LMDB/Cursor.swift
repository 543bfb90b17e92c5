import CLMDB

/// A position-based cursor over one database, lent by `Transaction.withCursor`.
///
/// Key and value buffers point into the memory map: valid until the transaction ends or the
/// next write through it.
public struct Cursor: ~Copyable {
    let cursor: OpaquePointer
    let database: Database

    /// A cursor positioning operation (`MDB_cursor_op`).
    public struct Operation: Sendable {
        let op: MDB_cursor_op
        public static let first = Operation(op: MDB_FIRST)
        public static let last = Operation(op: MDB_LAST)
        public static let next = Operation(op: MDB_NEXT)
        public static let previous = Operation(op: MDB_PREV)
        public static let current = Operation(op: MDB_GET_CURRENT)
        /// The first key after the current one (duplicate databases).
        public static let nextKey = Operation(op: MDB_NEXT_NODUP)
        /// The next value of the current key (duplicate databases).
        public static let nextDuplicate = Operation(op: MDB_NEXT_DUP)
        /// The last value of the current key (duplicate databases).
        public static let lastDuplicate = Operation(op: MDB_LAST_DUP)
        /// Up to a page of values of the current key (duplicate-fixed databases).
        public static let multiple = Operation(op: MDB_GET_MULTIPLE)
        /// The next page of values of the current key (duplicate-fixed databases).
        public static let nextMultiple = Operation(op: MDB_NEXT_MULTIPLE)
    }

    /// Moves the cursor; returns the entry there, or `nil` at the end.
    public func get(_ operation: Operation) throws -> (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)? {
        var k = MDB_val()
        var v = MDB_val()
        let rc = mdb_cursor_get(cursor, &k, &v, operation.op)
        if rc == MDB_NOTFOUND { return nil }
        try check(rc, "mdb_cursor_get", context: database.name)
        return (UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
                UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    /// Positions at `key` exactly (`exact`) or at the first key not less than it.
    public func seek(
        _ key: UnsafeRawBufferPointer, exact: Bool = false
    ) throws -> (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)? {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val()
        let rc = mdb_cursor_get(cursor, &k, &v, exact ? MDB_SET_KEY : MDB_SET_RANGE)
        if rc == MDB_NOTFOUND { return nil }
        try check(rc, "mdb_cursor_get", context: database.name)
        return (UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
                UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    /// Positions at the exact key/value pair (duplicate databases); false if it is not there.
    public func seek(key: [UInt8], value: [UInt8]) throws -> Bool {
        try key.withUnsafeBytes { kb in
            try value.withUnsafeBytes { vb in
                var k = MDB_val(mv_size: kb.count, mv_data: UnsafeMutableRawPointer(mutating: kb.baseAddress))
                var v = MDB_val(mv_size: vb.count, mv_data: UnsafeMutableRawPointer(mutating: vb.baseAddress))
                let rc = mdb_cursor_get(cursor, &k, &v, MDB_GET_BOTH)
                if rc == MDB_NOTFOUND { return false }
                try check(rc, "mdb_cursor_get", context: database.name)
                return true
            }
        }
    }

    /// Positions at `key` exactly (array convenience).
    public func seek(_ key: [UInt8], exact: Bool = false) throws -> (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)? {
        try key.withUnsafeBytes { try seek($0, exact: exact) }
    }

    /// Stores `value` under `key` through the cursor. Returns false when `options` forbade it.
    @discardableResult
    public func put(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, options: PutOptions = []) throws -> Bool {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        let rc = mdb_cursor_put(cursor, &k, &v, options.rawValue)
        if rc == MDB_KEYEXIST { return false }
        try check(rc, "mdb_cursor_put", context: database.name)
        return true
    }

    /// Deletes the entry under the cursor.
    public func deleteCurrent() throws {
        try check(mdb_cursor_del(cursor, 0), "mdb_cursor_del", context: database.name)
    }
}
