import ArgumentParser
import JourneyStore

/// `journey export`
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the log as JSON Lines to standard output.",
        discussion: """
            Each event is written as imported (without null optionals), plus the store's fields \
            seq, appended and hash. Importing the output into a new store gives the same content.
            """
    )

    @Option(help: ArgumentHelp("Only this participant's events.", valueName: "P"))
    var participant: String?

    @Option(help: ArgumentHelp("Only events up to this log position.", valueName: "SEQ"))
    var upto: UInt64?

    @OptionGroup var storeOption: StoreOption
    @OptionGroup var audit: AuditOption

    func run() throws {
        // Writable only to record the export in the audit trail.
        let store = try storeOption.open(writable: true)
        // Recorded before the last events are written: no complete export goes unrecorded.
        try store.export(participant: participant, upto: upto) { count in
            var detail = ["events": String(count), "to": "standard output"]
            if let participant { detail["participant"] = participant }
            if let upto { detail["upto"] = String(upto) }
            try audit.record("export", in: store, detail)
        }
    }
}
