import Foundation
import JourneyModel
import LMDB

/// The append-only journey log in one LMDB environment (a directory).
///
/// Readers see the log up to its committed head (`LogHead`); an import appends beyond the head
/// in bounded batches and moves the head in its final transaction, so a file is all-or-nothing
/// and a reader always sees a consistent prefix. See `Schemas/STORAGE.md` for the layout.
public final class EventStore: Sendable {
    /// The store directory.
    public let directory: String
    let env: Environment
    let events: Database
    let ids: Database
    let participants: Database
    /// The id and participant indexes of index generations 1...`StorageLayout.generationSlots`
    /// (at index `n - 1`; `IndexGenerations`). All are made with the store (or when a
    /// `journeystore/1` store is first opened for writing), so every process holds every handle
    /// before any transaction that might read one; `nil` only in a read-only `journeystore/1` store.
    private let generationIds: [Database?]
    private let generationParticipants: [Database?]
    let institutions: Database
    let meta: Database
    /// The audit trail (`nil` in a read-only store that has none yet).
    let audit: Database?
    /// True when opened for reading only.
    public let isReadOnly: Bool
    /// The storage format as written in the store (`StorageLayout.formatName`, or a
    /// `journeystore/1` store opened read-only).
    public let format: String
    /// True if the store seals event content (`journey init --encrypt`).
    public let isEncrypted: Bool
    /// Wrapped per-participant data keys (encrypted stores only).
    let keys: Database?
    /// The participants' records copied together by `journey cluster` (`nil` in a read-only
    /// store that has none).
    let journeys: Database?
    /// The keys derived from the master key; `nil` when the store is not encrypted or was
    /// opened without its key (then only `verify`, `info` and `audit` work).
    let cipher: StoreCipher?
    /// Held shared while the store is open: a compaction waits for it (`compact`).
    private let useLock: StoreUseLock?

    /// The default store directory: `$JOURNEY_STORE`, else `./journey-store`.
    public static var defaultDirectory: String {
        if let env = ProcessInfo.processInfo.environment["JOURNEY_STORE"], !env.isEmpty { return env }
        return "journey-store"
    }

    /// Opens the store in `directory`. With `create`, makes the directory (mode 0700) and an
    /// empty store if there is none; without it, a missing store is an error. `writable` opens
    /// an existing store for writing (projection catch-up) without creating one.
    /// `initialMapSize` is where the LMDB map starts; it doubles whenever it fills.
    ///
    /// `key` unlocks an encrypted store (a wrong key is an error; nothing is read or written).
    /// With `encrypt` (and `create` and `key`), a new store is made encrypted under `key`. A key
    /// given for a plain store is an error, unless `ignoreKeyIfPlain` (a key from the environment).
    ///
    /// `creation` is the audit entry written in the transaction that makes a new store (`init`).
    ///
    /// `testingTightMap` (or `JOURNEY_TEST_TIGHT_MAP=1`) is for tests only: every write starts on
    /// a map just large enough for the pages in use, so every write stage has to grow it.
    public init(
        directory: String, create: Bool = false, writable: Bool = false, initialMapSize: Int = 1 << 30,
        key: MasterKey? = nil, encrypt: Bool = false, ignoreKeyIfPlain: Bool = false, creation: AuditRequest? = nil,
        testingTightMap: Bool = false
    ) throws {
        self.directory = directory
        let fm = FileManager.default
        var isDir: ObjCBool = false
        let exists = fm.fileExists(atPath: directory, isDirectory: &isDir)
        if exists && !isDir.boolValue { throw StoreError("\(directory): is a file, not a store directory") }
        let hasData = fm.fileExists(atPath: directory + "/data.mdb")
        // Checked before LMDB maps the file: a truncated one would crash every reader with SIGBUS.
        if hasData, let problem = DataFile.problem(directory: directory) { throw StoreError(problem) }
        if !hasData && !create {
            throw StoreError("\(directory): no journey store here (import events to create one, or pass --store DIR)")
        }
        // Checked before anything is created, so a refused request leaves nothing behind.
        if encrypt {
            guard create, key != nil else { throw StoreError("\(directory): an encrypted store needs a key file") }
            guard !hasData else { throw StoreError("\(directory): a store exists here already; encryption is chosen when a store is made") }
        }
        // A key kept with the data it protects protects nothing: refused by every command.
        if let key {
            let keyDirectory = Self.absolute((key.path as NSString).deletingLastPathComponent)
            let storeDirectory = Self.absolute(directory)
            if keyDirectory == storeDirectory || keyDirectory.hasPrefix(storeDirectory + "/") {
                throw StoreError("\(key.path): the key file must live outside the store directory; move it out (and keep a backup apart from the store)")
            }
        }
        if !exists {
            do {
                try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError("\(directory): cannot create the store directory: \(error.localizedDescription)")
            }
        }
        // A new store is private to its owner, also in a directory that existed before.
        if create && !hasData { _ = chmod(directory, 0o700) }
        useLock = try StoreUseLock.shared(directory: directory)
        isReadOnly = !create && !writable
        let readOnly = isReadOnly
        do {
            let tight = testingTightMap || ProcessInfo.processInfo.environment["JOURNEY_TEST_TIGHT_MAP"] == "1"
            env = try Environment(path: directory, maxDatabases: 16 + 2 * Int(StorageLayout.generationSlots), initialMapSize: initialMapSize,
                                  readOnly: readOnly, tightMap: tight)
            let open: (String, DatabaseOptions) throws -> Database = { [env] name, options in
                if create { return try env.openDatabase(name, options: options) }
                guard let db = try env.existingDatabase(name) else {
                    throw StoreError("\(directory): not a journey store (LMDB database \"\(name)\" is missing)")
                }
                return db
            }
            events = try open(StorageLayout.eventsName, [])
            ids = try open(StorageLayout.idsName, [])
            participants = try open(StorageLayout.participantsName, [])
            let slots = 1...StorageLayout.generationSlots
            let names = slots.map { StorageLayout.idsName(generation: $0) } + slots.map { StorageLayout.participantsName(generation: $0) }
            let handles = readOnly ? try env.existingDatabases(names) : try env.openDatabases(names)
            generationIds = Array(handles[0..<slots.count])
            generationParticipants = Array(handles[slots.count...])
            institutions = try open(StorageLayout.institutionsName, [])
            meta = try open(StorageLayout.metaName, [])
            // Stores made before the audit trail existed get it the first time they are opened for writing.
            audit = readOnly ? try env.existingDatabase(StorageLayout.auditName) : try env.openDatabase(StorageLayout.auditName)
            // The keys database exists in encrypted stores only.
            let metaDB = meta
            let sealed = try env.read { txn in try txn.value(metaDB, key: StorageLayout.encryptionKey) } != nil
            keys = readOnly || !(encrypt || sealed)
                ? try env.existingDatabase(StorageLayout.keysName) : try env.openDatabase(StorageLayout.keysName)
            journeys = readOnly ? try env.existingDatabase(StorageLayout.journeysName) : try env.openDatabase(StorageLayout.journeysName)
        } catch let error as LMDBError {
            throw StoreError("\(directory): cannot open the store: \(error)")
        }
        if create {
            let (metaDB, auditDB) = (meta, audit)
            try env.write { txn in
                if try txn.value(metaDB, key: StorageLayout.formatKey) == nil {
                    try txn.put(metaDB, key: StorageLayout.formatKey, value: Array(StorageLayout.formatName.utf8))
                    try txn.put(metaDB, key: StorageLayout.headKey, value: LogHead.empty.encoded)
                    try txn.put(metaDB, key: StorageLayout.generationsKey, value: IndexGenerations([]).encoded)
                    if encrypt, let key {
                        try txn.put(metaDB, key: StorageLayout.encryptionKey, value: StoreCipher.encryptionRecord(master: key))
                    }
                    if let creation, let auditDB { try Self.appendAudit(creation, logHead: 0, to: auditDB, txn) }
                }
            }
        }
        let metaDB = meta
        let (format, encryption) = try env.read { txn in
            (try txn.value(metaDB, key: StorageLayout.formatKey).map { String(decoding: $0, as: UTF8.self) },
             try txn.value(metaDB, key: StorageLayout.encryptionKey))
        }
        switch format {
        case StorageLayout.formatName?:
            self.format = StorageLayout.formatName
        case StorageLayout.formatNameWithoutGenerations? where !readOnly:
            // Its indexes are generation 0 (no generations record): only the name changes.
            try env.write { txn in
                _ = try txn.put(metaDB, key: StorageLayout.formatKey, value: Array(StorageLayout.formatName.utf8))
            }
            self.format = StorageLayout.formatName
        case StorageLayout.formatNameWithoutGenerations?:
            self.format = StorageLayout.formatNameWithoutGenerations
        default:
            throw StoreError("\(directory): unsupported store format \(format ?? "none") (this journey writes \(StorageLayout.formatName))")
        }
        isEncrypted = encryption != nil
        if let encryption {
            cipher = try key.map { try StoreCipher.open(master: $0, meta: encryption, directory: directory) }
        } else {
            if let key, !ignoreKeyIfPlain { throw StoreError("\(directory): this store is not encrypted, but a key file was given (\(key.path))") }
            cipher = nil
        }
    }

    /// `path` made absolute, with symbolic links resolved where it exists.
    private static func absolute(_ path: String) -> String {
        let given = path.isEmpty ? "." : path
        if let real = realpath(given, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        return URL(fileURLWithPath: given).standardizedFileURL.path
    }

    /// The id index of index generation `n` (0: `ids`).
    func idIndex(generation n: UInt32) throws -> Database {
        if n == 0 { return ids }
        guard n <= StorageLayout.generationSlots, let db = generationIds[Int(n) - 1] else { throw missingGeneration(n) }
        return db
    }

    /// The participant index of index generation `n` (0: `participants`).
    func participantIndex(generation n: UInt32) throws -> Database {
        if n == 0 { return participants }
        guard n <= StorageLayout.generationSlots, let db = generationParticipants[Int(n) - 1] else { throw missingGeneration(n) }
        return db
    }

    private func missingGeneration(_ n: UInt32) -> StoreError {
        StoreError("\(directory): the store lists index generation \(n), which this process could not open (was the store upgraded while open? open it again)")
    }

    // MARK: - Reading

    /// Runs `body` in one consistent read snapshot of the store.
    public func read<R>(_ body: (borrowing StoreSnapshot) throws -> R) throws -> R {
        try env.read { txn in
            let head = try Self.head(txn, meta)
            return try body(StoreSnapshot(store: self, txn: txn, head: head))
        }
    }

    /// The seqs of the codebook definitions in the log up to `upto`, in log order.
    package func definitionSeqs(upto: UInt64, _ txn: borrowing Transaction) throws -> [UInt64] {
        try StorageLayout.definitionsKey.withUnsafeBytes { key in
            try txn.withValue(meta, key: key) { value -> [UInt64] in
                guard let value else { return [] }
                guard value.count % 8 == 0 else { throw StoreError("\(directory): the list of codebook definitions is damaged (run journey verify)") }
                return stride(from: 0, to: value.count, by: 8).map { i in
                    value.loadUnaligned(fromByteOffset: i, as: UInt64.self).bigEndian
                }.filter { $0 <= upto }
            }
        }
    }

    /// Adds `seqs` to the list of codebook definitions (in the transaction that moves the head).
    func appendDefinitions(_ seqs: [UInt64], _ txn: borrowing Transaction) throws {
        guard !seqs.isEmpty else { return }
        var value = try StorageLayout.definitionsKey.withUnsafeBytes { key in
            try txn.withValue(meta, key: key) { $0.map { Array($0) } ?? [] }
        }
        for seq in seqs { withUnsafeBytes(of: seq.bigEndian) { value.append(contentsOf: $0) } }
        try txn.put(meta, key: StorageLayout.definitionsKey, value: value)
    }

    /// The committed head of the log.
    public func head() throws -> LogHead {
        try env.read { txn in try Self.head(txn, meta) }
    }

    static func head(_ txn: borrowing Transaction, _ meta: Database) throws -> LogHead {
        try StorageLayout.headKey.withUnsafeBytes { key in
            try txn.withValue(meta, key: key) { value in
                guard let value, let head = LogHead(decoding: value) else { throw StoreError("store metadata has no valid head record") }
                return head
            }
        }
    }

    /// Bytes the store's files take on disk.
    public func sizeOnDisk() -> Int {
        let fm = FileManager.default
        var total = 0
        for name in ["data.mdb", "lock.mdb"] {
            if let attrs = try? fm.attributesOfItem(atPath: directory + "/" + name), let size = attrs[.size] as? Int { total += size }
        }
        return total
    }

    // MARK: - Staged records

    /// Removes records beyond the committed head (from an import that failed or was killed)
    /// and their index entries, in bounded transactions. Returns how many were removed.
    /// Callers must hold the writer lock.
    @discardableResult
    func discardStaged() throws -> Int {
        // Index generations an import or a merge wrote but did not list.
        try dropUnlistedGenerations()
        var removed = 0
        while true {
            let n = try env.write { txn -> Int in
                let head = try Self.head(txn, meta)
                return try txn.withCursor(events) { cursor -> Int in
                    var n = 0
                    while n < 20_000, let (k, v) = try cursor.get(.last) {
                        let seq = StorageLayout.readUInt64(k)
                        guard seq > head.seq else { break }
                        if let stored = try? self.storedEvent(seq: seq, v, txn), let event = try? stored.event() {
                            try unindex(event, seq: seq, txn)
                        }
                        try cursor.deleteCurrent()
                        n += 1
                    }
                    return n
                }
            }
            if n == 0 { return removed }
            removed += n
        }
    }

    /// Removes the record's entries from the unprefixed indexes (generation 0), where an import
    /// of a `journeystore/1` store wrote them before the head moved; generations written since
    /// are listed with the head's move, and dropped whole when they were not.
    private func unindex(_ event: Event, seq: UInt64, _ txn: borrowing Transaction) throws {
        let seqBytes = StorageLayout.seqKey(seq)
        let idKey = Array(event.id.utf8)
        if let existing = try txn.value(ids, key: idKey), existing == seqBytes { try txn.delete(ids, key: idKey) }
        if let p = event.participant { try txn.delete(participants, key: StorageLayout.namedSeqKey(p, seq)) }
        for institution in event.payload.institutions {
            let key = Array(institutionKey(institution).utf8)
            if let first = try txn.value(institutions, key: key), first == seqBytes { try txn.delete(institutions, key: key) }
        }
    }
}
