import ArgumentParser
import JourneyStore

/// The `--store DIR` option every command takes.
struct StoreOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The store directory.", discussion: "Default: $JOURNEY_STORE, else ./journey-store.", valueName: "DIR"))
    var store: String?

    /// The directory to use.
    var directory: String { store ?? EventStore.defaultDirectory }

    /// Opens the store for reading; a missing store is an error.
    func openForReading() throws -> EventStore { try EventStore(directory: directory) }

    /// Opens the store for writing, creating it if needed.
    func openForWriting() throws -> EventStore { try EventStore(directory: directory, create: true) }
}
