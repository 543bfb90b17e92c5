import ArgumentParser
import Foundation
import JourneyStore

/// `journey info`
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show what the store holds: events, participants, institutions, head, size, format."
    )

    @OptionGroup var storeOption: StoreOption

    @Option(help: "text for a person, json for programs.")
    var format: OutputFormat = .text

    func run() throws {
        let store = try storeOption.openForReading()
        let info = try store.info()
        let appended = info.head.seq > 0 ? Timestamp.rfc3339(micros: info.head.appendedMicros) : ""
        let audit = try store.auditEntries()
        if format == .json {
            let object: [String: Any] = [
                "store": store.directory, "events": info.events, "participants": info.participants,
                "institutions": info.institutions, "headSeq": info.head.seq, "headHash": info.head.hashHex,
                "headAppended": appended, "sizeOnDisk": info.sizeOnDisk, "usedBytes": info.usedBytes, "format": info.format,
                "auditEntries": audit.count, "encryption": info.encryption, "forgottenParticipants": info.forgottenParticipants,
                "indexGenerations": info.indexGenerations, "clusteredUpto": info.clusteredUpto,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("""
            store         \(store.directory)
            events        \(info.events)
            participants  \(info.participants)
            institutions  \(info.institutions)
            head          seq \(info.head.seq)\(info.head.seq > 0 ? ", appended \(appended)" : "")
            head hash     \(info.head.hashHex)
            size          \(megabytes(info.sizeOnDisk)) on disk, \(megabytes(info.usedBytes)) in use
            format        \(info.format)
            indexes       \(info.indexGenerations.count == 1 ? "1 generation" : "\(info.indexGenerations.count) generations")\(info.indexGenerations.isEmpty ? "" : " of " + info.indexGenerations.map(String.init).joined(separator: ", ") + " events")
            clustered     \(info.clusteredUpto == 0 ? "no (journey cluster copies each participant's records together)" : "up to seq \(info.clusteredUpto)\(info.clusteredUpto < info.head.seq ? " (later events read from the log)" : "")")
            encryption    \(info.encryption)\(info.forgottenParticipants > 0 ? "; \(info.forgottenParticipants) participants forgotten" : "")
            audit trail   \(audit.count == 1 ? "1 entry" : "\(audit.count) entries")\(audit.last.map { ", last: \($0.action) by \($0.by) at \($0.at)" } ?? "")
            """)
    }

    private func megabytes(_ bytes: Int) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }
}
