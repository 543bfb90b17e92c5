import CLMDB

/// A result code returned by an LMDB call.
///
/// A struct rather than an enum, so that codes added by a later LMDB break nothing.
public struct LMDBResultCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let keyExists = LMDBResultCode(rawValue: MDB_KEYEXIST)
    public static let notFound = LMDBResultCode(rawValue: MDB_NOTFOUND)
    public static let corrupted = LMDBResultCode(rawValue: MDB_CORRUPTED)
    public static let panic = LMDBResultCode(rawValue: MDB_PANIC)
    public static let versionMismatch = LMDBResultCode(rawValue: MDB_VERSION_MISMATCH)
    public static let invalid = LMDBResultCode(rawValue: MDB_INVALID)
    public static let mapFull = LMDBResultCode(rawValue: MDB_MAP_FULL)
    public static let databasesFull = LMDBResultCode(rawValue: MDB_DBS_FULL)
    public static let readersFull = LMDBResultCode(rawValue: MDB_READERS_FULL)
    public static let transactionFull = LMDBResultCode(rawValue: MDB_TXN_FULL)
    public static let mapResized = LMDBResultCode(rawValue: MDB_MAP_RESIZED)
    public static let badValueSize = LMDBResultCode(rawValue: MDB_BAD_VALSIZE)

    /// LMDB's own text for the code (errno text for system errors).
    public var description: String { String(cString: mdb_strerror(rawValue)) }
}

/// An error from LMDB, with the operation that failed and, when known, the path.
public struct LMDBError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What LMDB returned.
    public let code: LMDBResultCode
    /// The LMDB operation that failed, such as `mdb_put`.
    public let operation: String
    /// Extra context, such as the environment path.
    public let context: String

    public init(code: LMDBResultCode, operation: String, context: String = "") {
        self.code = code
        self.operation = operation
        self.context = context
    }

    public var description: String {
        let place = context.isEmpty ? "" : " (\(context))"
        return "LMDB \(operation) failed: \(code)\(place)"
    }
}

/// Throws an `LMDBError` for any non-zero LMDB return code.
@inline(__always)
func check(_ rc: Int32, _ operation: @autoclosure () -> String, context: @autoclosure () -> String = "") throws(LMDBError) {
    if rc != 0 { throw LMDBError(code: LMDBResultCode(rawValue: rc), operation: operation(), context: context()) }
}
