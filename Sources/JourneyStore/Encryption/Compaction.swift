import Foundation
import LMDB

extension EventStore {
    /// Replaces `data.mdb` with a compacted copy - only pages reachable from the live B-trees, so
    /// the bytes of destroyed keys left in free pages are gone - and clears the note that a
    /// compaction is owed. Returns false when none was owed (then nothing is done).
    ///
    /// Every journey process keeps the store's use lock shared while it has the store open; the
    /// compaction takes it exclusive, waiting up to `wait` seconds for them to close (so nothing
    /// is written into the old file during the copy, and a store opened meanwhile waits for the
    /// swap). The caller must have no store of `directory` open. Killed at any point, the note is
    /// still in `data.mdb` until the copy without it has replaced the file, so it is never lost.
    @discardableResult
    public static func compact(_ directory: String, wait: Double = 60, onWait: () -> Void = {}) throws -> Bool {
        if let problem = DataFile.problem(directory: directory) { throw StoreError(problem) }
        guard let useLock = try StoreUseLock.exclusive(directory: directory, timeout: wait, onWait: onWait) else {
            throw StoreError("\(directory): other processes kept the store open for \(Int(wait)) s, so the compaction that forget owes is still to do (the destroyed key's old bytes may remain in LMDB's free pages); run journey forget --resume when nothing else uses the store")
        }
        defer { withExtendedLifetime(useLock) {} }
        let staging = directory + "/.compact"
        let fm = FileManager.default
        try? fm.removeItem(atPath: staging)
        guard mkdir(staging, 0o700) == 0 else {
            throw StoreError("\(staging): cannot create: \(String(cString: strerror(errno)))")
        }
        defer { try? fm.removeItem(atPath: staging) }
        let copy = staging + "/data.mdb"
        do {
            let env = try Environment(path: directory, maxDatabases: 16)
            let meta = try env.openDatabase(StorageLayout.metaName)
            guard try env.read({ txn in try txn.value(meta, key: StorageLayout.compactionKey) }) != nil else { return false }
            let fd = open(copy, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw StoreError("\(copy): cannot create: \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            do {
                try env.copyCompacted(toFileDescriptor: fd)
            } catch {
                throw StoreError("\(directory): cannot write the compacted copy: \(error)")
            }
        }
        // The copy owes nothing: clear the note there (the old file keeps it until the swap).
        do {
            let env = try Environment(path: staging, maxDatabases: 16)
            let meta = try env.openDatabase(StorageLayout.metaName)
            try env.write { txn in _ = try txn.delete(meta, key: StorageLayout.compactionKey) }
        }
        let copyFD = open(copy, O_RDWR | O_CLOEXEC)
        guard copyFD >= 0, fsync(copyFD) == 0 else { throw StoreError("\(copy): cannot sync the compacted copy: \(String(cString: strerror(errno)))") }
        close(copyFD)

        // Every process with the environment open holds a shared lock on byte 0 of lock.mdb
        // (LMDB's own protocol): journey processes are kept out by the use lock, others are seen here.
        let lockPath = directory + "/lock.mdb"
        let fd = open(lockPath, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError("\(lockPath): cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }  // before the use lock: the next process to open the store sets lock.mdb up anew
        var exclusive = flock()
        exclusive.l_type = Int16(F_WRLCK)
        exclusive.l_whence = Int16(SEEK_SET)
        exclusive.l_start = 0
        exclusive.l_len = 1
        guard fcntl(fd, F_SETLK, &exclusive) == 0 else {
            throw StoreError("\(directory): a program other than journey has the store open, so the compaction that forget owes is still to do; run journey forget --resume when nothing else uses the store")
        }
        guard rename(copy, directory + "/data.mdb") == 0 else {
            throw StoreError("\(directory): cannot replace data.mdb with the compacted copy: \(String(cString: strerror(errno)))")
        }
        let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 {
            fsync(dirFD)
            close(dirFD)
        }
        return true
    }

    /// Destroys `participant`'s data key (an empty value) in `txn` and notes that a compaction is
    /// owed: the old wrapped key stays in a free page until the store is compacted.
    func destroyKey(of participant: String, _ txn: borrowing Transaction) throws {
        guard let keys else { throw StoreError("\(directory): the store has no keys database") }
        let name = Array(participant.utf8)
        guard let wrapped = try txn.value(keys, key: name), !wrapped.isEmpty else {
            throw StoreError("\(directory): participant \"\(participant)\" has no data key to destroy")
        }
        try txn.put(keys, key: name, value: [])
        try noteCompactionOwed(for: participant, txn)
    }

    /// Adds `participant` to the note that a compaction is owed, in `txn`.
    func noteCompactionOwed(for participant: String, _ txn: borrowing Transaction) throws {
        let owed = try txn.value(meta, key: StorageLayout.compactionKey) ?? []
        try txn.put(meta, key: StorageLayout.compactionKey, value: owed + (owed.isEmpty ? [] : [10]) + Array(participant.utf8))
    }

    /// The participants whose destroyed keys still await the compaction (`compact`); empty when
    /// none is owed.
    public func owedCompaction() throws -> [String] {
        let metaDB = meta
        let value = try env.read { txn in try txn.value(metaDB, key: StorageLayout.compactionKey) }
        guard let value else { return [] }
        return value.split(separator: 10).map { String(decoding: $0, as: UTF8.self) }
    }
}
