import CLMDB

/// Cursors on several databases at once, addressed by index (the sources of a merge), lent by
/// `Transaction.withCursors`. Buffers are valid as for `Cursor`.
public struct CursorGroup: ~Copyable {
    let cursors: [OpaquePointer]
    let databases: [Database]

    /// How many cursors the group holds.
    public var count: Int { cursors.count }

    /// Moves cursor `index`; returns the entry there, or `nil` at the end.
    public func get(_ index: Int, _ operation: Cursor.Operation) throws -> (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)? {
        try Cursor(cursor: cursors[index], database: databases[index]).get(operation)
    }

    /// Stores `value` under `key` through cursor `index`. Returns false when `options` forbade it.
    @discardableResult
    public func put(_ index: Int, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, options: PutOptions = []) throws -> Bool {
        try Cursor(cursor: cursors[index], database: databases[index]).put(key: key, value: value, options: options)
    }

    /// Positions cursor `index` at the first key not less than `key`.
    public func seek(_ index: Int, _ key: UnsafeRawBufferPointer) throws -> (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)? {
        try Cursor(cursor: cursors[index], database: databases[index]).seek(key)
    }
}

extension Transaction {
    /// Opens one cursor on each of `databases` for the duration of `body`.
    public func withCursors<R>(_ databases: [Database], _ body: (borrowing CursorGroup) throws -> R) throws -> R {
        var opened: [OpaquePointer] = []
        defer { for c in opened { mdb_cursor_close(c) } }
        for database in databases {
            var cursor: OpaquePointer?
            try check(mdb_cursor_open(txn, database.dbi, &cursor), "mdb_cursor_open", context: database.name)
            guard let cursor else { throw LMDBError(code: .invalid, operation: "mdb_cursor_open", context: database.name) }
            opened.append(cursor)
        }
        return try body(CursorGroup(cursors: opened, databases: databases))
    }
}
