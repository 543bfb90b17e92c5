import ArgumentParser
import Foundation
import JourneyStore

/// `journey audit`
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "List the audit trail: every import, export, dump and report, who, when, at which log position.",
        discussion: """
            The trail is append-only and hash-chained inside the store (journey verify checks the \
            chain). Who: --by on the recorded command, else $JOURNEY_USER, else the login name.
            """
    )

    @Option(help: "text for a person, json for programs.") var format: OutputFormat = .text
    @OptionGroup var storeOption: StoreOption

    func run() throws {
        let store = try storeOption.openForReading()
        let entries = try store.auditEntries()
        if format == .json { return try printJSON(entries) }
        if entries.isEmpty {
            print("\(store.directory): the audit trail is empty")
            return
        }
        for e in entries {
            let detail = e.detail.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            print("\(String(e.seq).padded(to: 4)) \(e.at)  \(e.by.padded(to: 12)) \(e.action.padded(to: 11)) log head \(String(e.logHead).padded(to: 8)) \(detail)")
        }
    }
}
