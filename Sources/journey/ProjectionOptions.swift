import ArgumentParser
import Foundation
import JourneyModel
import JourneyStore
import Projections

/// Output format of projection commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Options every projection command shares: the store, the log position, the format.
struct ProjectionOptions: ParsableArguments {
    @OptionGroup var replay: ReplayOptions

    @Option(help: "text for a person, json for programs.")
    var format: OutputFormat = .text

    var upto: UInt64? { replay.upto }

    /// `windows` with `--recorded-by`.
    func windows(_ windows: ProjectionWindows = ProjectionWindows()) -> ProjectionWindows { replay.windows(windows) }

    /// The projection state at the log's head, for a command that only reads: the store opened
    /// read-only when the state is up to date; otherwise opened for writing to bring the state
    /// up to the head first (its checkpoint is written to the store), which is said on stderr.
    func open() throws -> ProjectionState { try replay.openForReading() }
}

/// The store and the log position a projection is replayed up to.
struct ReplayOptions: ParsableArguments {
    @OptionGroup var storeOption: StoreOption

    @Option(help: ArgumentHelp("Replay the log only up to this position (transaction time).", valueName: "SEQ"))
    var upto: UInt64?

    @Option(help: ArgumentHelp("Count participant events (and retractions of them) only if recorded - else appended - at or before this instant (RFC 3339 with offset).", valueName: "INSTANT"))
    var recordedBy: String?

    /// `--recorded-by` as an instant.
    var recordedByInstant: Moment.Instant? { recordedBy.flatMap { Moment($0)?.instant } }

    /// `windows` with this replay's `--recorded-by`.
    func windows(_ windows: ProjectionWindows = ProjectionWindows()) -> ProjectionWindows {
        var windows = windows
        windows.recordedBy = recordedByInstant
        return windows
    }

    func validate() throws {
        if let recordedBy, Moment(recordedBy)?.instant == nil {
            throw ValidationError("--recorded-by: \"\(recordedBy)\" is not an RFC 3339 date-time with an offset (like 2024-03-01T12:00:00+01:00)")
        }
    }

    /// Opens the store, brings the projection state up to the log's head, and returns it.
    func open() throws -> ProjectionState {
        let store = try storeOption.open(writable: true)
        let state = try ProjectionState(store: store)
        try state.catchUp()
        return state
    }

    /// `open()` for a command that only reads: read-only when the projection state is already
    /// up to date with the log, and says so when it had to write the state.
    func openForReading() throws -> ProjectionState {
        // A quiet look first (no key needed, no warnings), so only one open says what it must.
        let probe = try? EventStore(directory: storeOption.directory)
        let current = probe.flatMap { store in try? ProjectionState(store: store).checkpoint() == store.head().seq } ?? false
        if current {
            let store = try storeOption.open()
            let state = try ProjectionState(store: store)
            if try state.checkpoint() == store.head().seq { return state }  // else an import landed meanwhile
        }
        let state = try open()
        Console.error("\(storeOption.directory): projection state brought up to seq \(try state.checkpoint()) (written to the store; the next read needs no write)")
        return state
    }
}

/// Prints an Encodable value as pretty, key-sorted JSON.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// The pairing window, the dead-end follow-up window and the episode gap, for commands that
/// apply all three.
struct WindowOptions: ParsableArguments {
    @OptionGroup var pairing: PairingWindowOption
    @OptionGroup var followUp: FollowUpWindowOption
    @OptionGroup var episodes: EpisodeGapOption

    var windowDays: Int { pairing.windowDays }
    var followUpDays: Int { followUp.followUpDays }
    /// All three, for the library.
    var windows: ProjectionWindows {
        ProjectionWindows(windowDays: windowDays, followUpDays: followUpDays, episodeGapDays: episodes.episodeGapDays)
    }
}

/// The gap that ends an episode (contract 4.4, default `ContractDefaults.episodeGapDays`).
struct EpisodeGapOption: ParsableArguments {
    @Option(help: "Days between two dates of contact with an institution that still keep them in one episode.")
    var episodeGapDays = ContractDefaults.episodeGapDays

    func validate() throws { try validateDays(episodeGapDays, "--episode-gap-days") }
}

/// The pairing window (contract default `ContractDefaults.pairingWindowDays`).
struct PairingWindowOption: ParsableArguments {
    @Option(help: "Pairing window in days.") var windowDays = ContractDefaults.pairingWindowDays

    func validate() throws { try validateDays(windowDays, "--window-days") }
}

/// The dead-end follow-up window (contract default `ContractDefaults.followUpDays`).
struct FollowUpWindowOption: ParsableArguments {
    @Option(help: "Follow-up window for dead ends, in days.") var followUpDays = ContractDefaults.followUpDays

    func validate() throws { try validateDays(followUpDays, "--follow-up-days") }
}

/// Validates a window or follow-up length.
func validateDays(_ value: Int, _ option: String) throws {
    if value < 0 { throw ValidationError("\(option) must be 0 or more days") }
}

/// An institution as a person reads it: name and id, chain and categories.
func describe(_ id: String, _ directory: InstitutionDirectory) -> String {
    guard Referrer.isInstitution(id) else { return id == "self" ? "self (own initiative)" : "network (family, friends)" }
    guard let coding = directory.codings[id] else { return "\(id) [uncoded]" }
    return "\(coding.name) (\(id)) [\(directory.chain(of: id)): \(coding.categories.sorted().joined(separator: ", "))]"
}
