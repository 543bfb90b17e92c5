import Foundation
import ArgumentParser
import JourneyStore

/// The `--store DIR` and `--key-file PATH` options every command takes.
struct StoreOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The store directory.", discussion: "Default: $JOURNEY_STORE, else ./journey-store.", valueName: "DIR"))
    var store: String?

    @Option(name: .customLong("key-file"), help: ArgumentHelp(
        "The master key of an encrypted store (kept outside the store directory).",
        discussion: "Default: $JOURNEY_KEY_FILE. Plain stores need none; verify, info and audit work without it.",
        valueName: "PATH"))
    var keyFile: String?

    /// The directory to use.
    var directory: String { store ?? EventStore.defaultDirectory }

    /// The key file to use: `--key-file`, else `$JOURNEY_KEY_FILE`.
    var keyPath: String? { keyFile ?? MasterKey.pathFromEnvironment }

    /// The master key, if one is given.
    func masterKey() throws -> MasterKey? { try keyPath.map { try MasterKey.load(path: $0) } }

    /// Opens the store; a key from the environment is ignored by a plain store, one given with
    /// `--key-file` is an error there. Opened to write (or to project, which reads content), an
    /// encrypted store without its key is an error before anything is written.
    ///
    /// A compaction that `forget` still owes is finished first by a command that writes (if the
    /// store is free within a few seconds); while it is owed, every command warns.
    func open(create: Bool = false, writable: Bool = false) throws -> EventStore {
        if create || writable { finishOwedCompaction() }
        let store = try EventStore(directory: directory, create: create, writable: writable, key: try masterKey(),
                                   ignoreKeyIfPlain: keyFile == nil)
        if create || writable { try store.requireContentKey() }
        let owed = (try? store.owedCompaction()) ?? []
        if !owed.isEmpty {
            Console.error("warning: \(directory): journey forget of \(owed.joined(separator: ", ")) did not finish compacting the store, so destroyed keys may remain in LMDB's free pages; run journey forget --resume when nothing else uses the store")
        }
        return store
    }

    /// Runs the compaction `forget` owes, if it owes one and the store is free within 5 s.
    private func finishOwedCompaction() {
        guard FileManager.default.fileExists(atPath: directory + "/data.mdb") else { return }
        let owed: Bool = (try? EventStore(directory: directory).owedCompaction().isEmpty == false) ?? false
        guard owed else { return }
        do {
            if try EventStore.compact(directory, wait: 5) { Console.error("\(directory): finished the compaction an earlier journey forget owed") }
        } catch {
            Console.error("warning: \(error)")
        }
    }

    /// Opens the store for reading; a missing store is an error.
    func openForReading() throws -> EventStore { try open() }

    /// Opens the store for writing, creating it if needed.
    func openForWriting() throws -> EventStore { try open(create: true) }
}
