import ArgumentParser
import JourneyStore

/// `journey forget`
struct ForgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Withdraw a participant by crypto-shredding: destroy their data key for good.",
        discussion: """
            For an encrypted store (journey init --encrypt). The participant's data key is \
            destroyed, so their events can never be decrypted again - not even with the master \
            key - while the log, its hash chain and every other participant stay as they were. \
            A participant.exited event (reason withdrew, id forgotten:P) is appended, so every \
            projection and dump from then on shows P as withdrawn with no content, and the audit \
            trail records who did it, when and why. The store is then compacted (LMDB keeps \
            deleted bytes in free pages), which needs it to itself: close other journey processes \
            on it first. Backups made before stay readable with the master key: forget them too.
            """
    )

    @Argument(help: "The participant's pseudonym.") var participant: String
    @Option(help: "Why (e.g. the participant withdrew consent); recorded in the audit trail.") var reason: String
    @OptionGroup var storeOption: StoreOption
    @OptionGroup var audit: AuditOption

    func run() throws {
        guard let key = try storeOption.masterKey() else {
            throw CommandError("forget needs the master key: --key-file PATH or $\(MasterKey.environmentVariable)")
        }
        let report = try EventStore.forget(
            participant: participant, reason: reason, by: audit.who, directory: storeOption.directory, key: key)
        if let seq = report.appendedSeq {
            print("forgot \(participant): the content of \(report.eventsDestroyed) events can no longer be decrypted; appended participant.exited (withdrew) at seq \(seq); store compacted (\(report.bytesBefore / 1000) kB -> \(report.bytesAfter / 1000) kB)")
        } else {
            print("\(participant) was forgotten before; store compacted again (\(report.bytesBefore / 1000) kB -> \(report.bytesAfter / 1000) kB)")
        }
    }
}
