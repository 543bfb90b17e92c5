import ArgumentParser
import Foundation
import JourneyStore

/// `journey init`
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty store, optionally encrypted at rest.",
        discussion: """
            Plain stores are also made by the first import; an encrypted one must be made here. \
            With --encrypt, every event's content is sealed with AES-256-GCM under a data key of \
            its participant, and the data keys are wrapped by the master key in --key-file (or \
            $JOURNEY_KEY_FILE). If that file does not exist, a new random key is written to it \
            (mode 0600). Keep it outside the store directory and backed up apart from the data: \
            without it nothing can be read; with it, every command needs --key-file (verify, \
            info and audit work without).
            """
    )

    @OptionGroup var storeOption: StoreOption
    @OptionGroup var audit: AuditOption

    @Flag(help: "Seal event content under per-participant keys wrapped by the master key.")
    var encrypt = false

    func run() throws {
        let directory = storeOption.directory
        if FileManager.default.fileExists(atPath: directory + "/data.mdb") {
            throw CommandError("\(directory): a store exists here already")
        }
        var key: MasterKey?
        var madeKey = false
        if encrypt {
            guard let path = storeOption.keyPath else {
                throw CommandError("--encrypt needs --key-file PATH (or $\(MasterKey.environmentVariable)): where the master key is, or is to be written")
            }
            if FileManager.default.fileExists(atPath: path) {
                key = try MasterKey.load(path: path)
            } else {
                try Self.refuseInside(keyPath: path, store: directory)
                key = try MasterKey.create(path: path)
                madeKey = true
            }
        } else if storeOption.keyFile != nil {
            throw CommandError("--key-file is for encrypted stores: add --encrypt")
        }
        let store: EventStore
        do {
            store = try EventStore(directory: directory, create: true, key: key, encrypt: encrypt,
                                   creation: audit.request("init", ["encrypted": encrypt ? "yes" : "no"]))
        } catch {
            if madeKey, let key { unlink(key.path) }
            throw error
        }
        withExtendedLifetime(store) {}
        if let key, madeKey {
            print("wrote a new master key to \(key.path) (mode 0600): keep it outside the store and backed up apart from it; without it the data cannot be read")
        }
        print("\(directory): new \(encrypt ? "encrypted " : "")store")
    }

    /// Refuses a key path inside the store directory before anything is written.
    private static func refuseInside(keyPath: String, store: String) throws {
        let key = URL(fileURLWithPath: keyPath).standardizedFileURL.path
        let dir = URL(fileURLWithPath: store).standardizedFileURL.path
        if key.hasPrefix(dir + "/") { throw CommandError("\(keyPath): the key file must live outside the store directory") }
    }
}
