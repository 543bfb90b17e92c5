import CLMDB

/// A named database inside an LMDB environment (an `MDB_dbi`).
///
/// Obtained from `Environment.openDatabase(_:options:)`; valid for the environment's life.
public struct Database: Sendable, Hashable {
    let dbi: MDB_dbi
    /// The name it was opened with.
    public let name: String
}

/// Flags for a named database (these are `mdb_dbi_open` flags, not environment flags).
public struct DatabaseOptions: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Keys may have several sorted values.
    public static let duplicateSort = DatabaseOptions(rawValue: UInt32(MDB_DUPSORT))
    /// With `duplicateSort`: all values have the same size.
    public static let duplicateFixed = DatabaseOptions(rawValue: UInt32(MDB_DUPFIXED))
}

/// Flags for a single put.
public struct PutOptions: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Fail with `keyExists` when the key is present.
    public static let noOverwrite = PutOptions(rawValue: UInt32(MDB_NOOVERWRITE))
    /// The key is greater than every key in the database (fast bulk load).
    public static let append = PutOptions(rawValue: UInt32(MDB_APPEND))
}

/// Statistics of one database (`mdb_stat`).
public struct DatabaseStatistics: Sendable {
    /// Number of key/value items (for duplicate databases, every value counts).
    public let entries: Int
    /// Tree depth.
    public let depth: Int
    /// Pages used by the tree: branch, leaf and overflow.
    public let pages: Int
}
