import CLMDB
import Foundation
import Synchronization

/// An LMDB environment: one directory holding `data.mdb` and `lock.mdb`.
///
/// Opened with `MDB_NOTLS`, so read snapshots are not tied to a thread. Transactions are
/// synchronous closures: `read` for a snapshot, `write` for the single writer. When a write
/// fills the map, the environment grows it and runs the closure again, so `MDB_MAP_FULL` never
/// reaches a caller; write closures must therefore be safe to run more than once.
public final class Environment: @unchecked Sendable {
    private let env: OpaquePointer
    /// The directory this environment lives in.
    public let path: String
    /// Transactions open in this process; the map may only grow when none is.
    private let openTransactions = Mutex(0)
    /// Testing: before each write transaction the map is shrunk to the pages in use, so a write
    /// that needs a new page fills the map; and each write's first run is refused at its commit
    /// as a full map would be, so every write grows the map and runs again.
    private let tightMap: Bool
    /// How often this process has grown the map after it filled.
    private let growths = Mutex(0)

    /// How often this process has grown the map after it filled (for tests and benchmarks).
    public var timesGrown: Int { growths.withLock { $0 } }

    /// Opens (creating if needed) the environment in directory `path`, which must exist.
    ///
    /// - Parameters:
    ///   - maxDatabases: how many named databases may be opened.
    ///   - initialMapSize: the map size to start with; it grows on demand.
    ///   - readOnly: open without write access (no writer, no lock-file writes beyond readers).
    ///   - fileMode: permission bits for files LMDB creates.
    ///   - tightMap: testing only: every write transaction starts on a map just large enough
    ///     for the pages in use, so growth is exercised at every stage of every write.
    public init(
        path: String, maxDatabases: Int = 16, initialMapSize: Int = 1 << 30,
        readOnly: Bool = false, fileMode: UInt32 = 0o600, tightMap: Bool = false
    ) throws(LMDBError) {
        self.tightMap = tightMap && !readOnly
        var handle: OpaquePointer?
        try check(mdb_env_create(&handle), "mdb_env_create", context: path)
        guard let handle else { throw LMDBError(code: .invalid, operation: "mdb_env_create", context: path) }
        // From here on, every failure closes the handle exactly once.
        do {
            try check(mdb_env_set_maxdbs(handle, MDB_dbi(maxDatabases)), "mdb_env_set_maxdbs", context: path)
            try check(mdb_env_set_maxreaders(handle, 256), "mdb_env_set_maxreaders", context: path)
            try check(mdb_env_set_mapsize(handle, initialMapSize), "mdb_env_set_mapsize", context: path)
            var flags = UInt32(MDB_NOTLS)
            if readOnly { flags |= UInt32(MDB_RDONLY) }
            try check(mdb_env_open(handle, path, flags, mdb_mode_t(fileMode)), "mdb_env_open", context: path)
            // Clear reader slots left by processes that died.
            var dead: Int32 = 0
            try check(mdb_reader_check(handle, &dead), "mdb_reader_check", context: path)
        } catch {
            mdb_env_close(handle)
            throw error
        }
        self.env = handle
        self.path = path
    }

    deinit { mdb_env_close(env) }

    /// Opens (creating in a write transaction if missing) a named database. Making it is a
    /// write like any other: a full map grows (`write`).
    public func openDatabase(_ name: String, options: DatabaseOptions = []) throws -> Database {
        try growingWrite { txn in
            var dbi: MDB_dbi = 0
            try check(mdb_dbi_open(txn, name, options.rawValue | UInt32(MDB_CREATE), &dbi), "mdb_dbi_open", context: name)
            return Database(dbi: dbi, name: name)
        }
    }

    /// Opens an existing named database in a read-only environment; `nil` if it does not exist.
    public func existingDatabase(_ name: String) throws -> Database? {
        // A handle opened in a read-only transaction survives only if that transaction commits.
        try withRawTransaction(readOnly: true, commit: true) { txn in
            var dbi: MDB_dbi = 0
            let rc = mdb_dbi_open(txn, name, 0, &dbi)
            if rc == MDB_NOTFOUND { return nil }
            try check(rc, "mdb_dbi_open", context: name)
            return Database(dbi: dbi, name: name)
        }
    }

    /// Opens (creating if missing) several named databases in one write transaction (a full
    /// map grows, as in `write`).
    public func openDatabases(_ names: [String]) throws -> [Database] {
        try growingWrite { txn in
            try names.map { name in
                var dbi: MDB_dbi = 0
                try check(mdb_dbi_open(txn, name, UInt32(MDB_CREATE), &dbi), "mdb_dbi_open", context: name)
                return Database(dbi: dbi, name: name)
            }
        }
    }

    /// Opens several existing named databases in one read-only transaction; `nil` for each that
    /// does not exist.
    public func existingDatabases(_ names: [String]) throws -> [Database?] {
        try withRawTransaction(readOnly: true, commit: true) { txn in
            try names.map { name in
                var dbi: MDB_dbi = 0
                let rc = mdb_dbi_open(txn, name, 0, &dbi)
                if rc == MDB_NOTFOUND { return nil }
                try check(rc, "mdb_dbi_open", context: name)
                return Database(dbi: dbi, name: name)
            }
        }
    }

    /// Runs `body` in a read-only snapshot.
    public func read<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        try withRawTransaction(readOnly: true) { txn in try body(Transaction(txn: txn, isReadOnly: true)) }
    }

    /// Runs `body` in the write transaction and commits it (durably) if `body` returns.
    ///
    /// If `body` throws, nothing is written. If the map is full, the map is doubled and `body`
    /// runs again from the start: `body` must change nothing outside the transaction (state
    /// kept elsewhere changes after `write` returns, once the transaction has committed).
    public func write<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        try growingWrite { txn in try body(Transaction(txn: txn, isReadOnly: false)) }
    }

    /// A write transaction that runs `body` again on a doubled map when the map fills (and, with
    /// `tightMap`, starts on a map just large enough and has its first commit refused).
    private func growingWrite<R>(_ body: (OpaquePointer) throws -> R) throws -> R {
        if tightMap { try resize { _ in 1 } }  // LMDB rounds up to the pages in use
        var refuseCommit = tightMap
        while true {
            do {
                return try withRawTransaction(readOnly: false, refuseCommit: refuseCommit, body)
            } catch let error as LMDBError where error.code == .mapFull {
                refuseCommit = false
                try grow()
            }
        }
    }

    /// Bytes in use by the map and its size limit right now.
    public func info() throws -> (mapSize: Int, lastPage: Int, pageSize: Int) {
        var info = MDB_envinfo()
        try check(mdb_env_info(env, &info), "mdb_env_info", context: path)
        var stat = MDB_stat()
        try check(mdb_env_stat(env, &stat), "mdb_env_stat", context: path)
        return (info.me_mapsize, info.me_last_pgno, Int(stat.ms_psize))
    }

    /// Writes a compacted copy of the environment into the open file `fd`, which the caller made
    /// (with the permissions it wants) and syncs: only pages reachable from the live B-trees are
    /// copied, so data deleted from the environment - still present in its free pages - is not
    /// in the copy. The copy is consistent even while other transactions run.
    public func copyCompacted(toFileDescriptor fd: Int32) throws(LMDBError) {
        try check(mdb_env_copyfd2(env, fd, UInt32(MDB_CP_COMPACT)), "mdb_env_copyfd2", context: path)
    }

    /// Drops this process's mappings of the store's pages (`MADV_DONTNEED`). The pages stay in
    /// the kernel's page cache and fault back in when read; LMDB never writes through the map
    /// (no `MDB_WRITEMAP`), so nothing is lost. Keeps resident memory of long imports bounded.
    /// (LMDB does not tell where its map is, so it is found in `/proc/self/maps`; elsewhere this
    /// does nothing.)
    public func releaseMappedPages() {
        #if os(Linux)
        guard let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return }
        let file = (path as NSString).resolvingSymlinksInPath + "/data.mdb"
        for line in maps.split(separator: "\n") where line.hasSuffix(" " + file) {
            let range = line.prefix { $0 != " " }.split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16),
                  let address = UnsafeMutableRawPointer(bitPattern: start) else { continue }
            _ = madvise(address, Int(end - start), MADV_DONTNEED)
        }
        #endif
    }

    /// True when the file system holding the environment has (almost) no space left.
    private func diskIsFull() -> Bool {
        var fs = statvfs()
        guard statvfs(path, &fs) == 0 else { return false }
        return UInt64(fs.f_bavail) * UInt64(fs.f_frsize) < 16 << 20
    }

    /// Doubles the map.
    private func grow() throws {
        try resize { $0 * 2 }
        growths.withLock { $0 += 1 }
    }

    /// Sets the map size to `newSize(current)` (0: the size another process gave it). Legal
    /// only while no transaction of this process is open, so it waits (briefly, by design:
    /// other threads' transactions are short) until none is.
    private func resize(adopting: Bool = false, _ newSize: (Int) -> Int) throws {
        var waited = 0
        while true {
            let done = try openTransactions.withLock { open -> Bool in
                guard open == 0 else { return false }
                var info = MDB_envinfo()
                try check(mdb_env_info(env, &info), "mdb_env_info", context: path)
                try check(mdb_env_set_mapsize(env, newSize(info.me_mapsize)), "mdb_env_set_mapsize", context: path)
                return true
            }
            if done { return }
            waited += 1
            if waited > 60_000 {
                throw LMDBError(code: adopting ? .mapResized : .mapFull, operation: "mdb_env_set_mapsize",
                                context: adopting
                                    ? "\(path): another process grew the store while this one kept a snapshot open; run the command again"
                                    : "\(path): another transaction of this process stayed open; cannot grow the map")
            }
            usleep(1000)
        }
    }

    private func withRawTransaction<R>(
        readOnly: Bool, commit: Bool = false, refuseCommit: Bool = false, _ body: (OpaquePointer) throws -> R
    ) throws -> R {
        var txn: OpaquePointer?
        while true {
            let rc = openTransactions.withLock { open -> Int32 in
                let rc = mdb_txn_begin(env, nil, readOnly ? UInt32(MDB_RDONLY) : 0, &txn)
                if rc == 0 { open += 1 }
                return rc
            }
            if rc == MDB_MAP_RESIZED {
                // Another process grew the map: adopt its size - once no transaction of this
                // process is open (remapping under one would pull its pages away) - and try again.
                try resize(adopting: true) { _ in 0 }
                continue
            }
            try check(rc, "mdb_txn_begin", context: path)
            break
        }
        guard let txn else { throw LMDBError(code: .invalid, operation: "mdb_txn_begin", context: path) }
        let result: R
        do {
            result = try body(txn)
        } catch {
            mdb_txn_abort(txn)
            openTransactions.withLock { $0 -= 1 }
            throw error
        }
        if (readOnly && !commit) || refuseCommit {
            mdb_txn_abort(txn)
            openTransactions.withLock { $0 -= 1 }
            if refuseCommit { throw LMDBError(code: .mapFull, operation: "mdb_txn_commit", context: "\(path) (refused for a test)") }
        } else {
            var rc = mdb_txn_commit(txn)
            openTransactions.withLock { $0 -= 1 }
            // LMDB reports a write cut short by a full disk as EIO: say what it is.
            if rc == EIO && diskIsFull() { rc = ENOSPC }
            try check(rc, "mdb_txn_commit",
                      context: rc == ENOSPC ? "\(path): the disk holding the store is full; nothing of this write was committed, free space and run it again" : path)
        }
        return result
    }
}
