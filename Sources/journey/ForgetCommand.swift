import ArgumentParser
import Foundation
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
            on it first (forget waits up to --wait seconds for them). Until the compaction has \
            run, verify fails and every command warns; journey forget --resume (or the next \
            command that writes) finishes it. Backups made before stay readable with the master \
            key: forget them too.
            """
    )

    @Argument(help: "The participant's pseudonym.") var participant: String?
    @Option(help: "Why (e.g. the participant withdrew consent); recorded in the audit trail.") var reason: String?
    @Flag(help: "Only finish the compaction an earlier forget could not run.") var resume = false
    @Option(help: ArgumentHelp("How long to wait for other processes to close the store before compacting.", valueName: "SECONDS"))
    var wait: Double = 60
    @OptionGroup var storeOption: StoreOption
    @OptionGroup var audit: AuditOption

    func validate() throws {
        if resume {
            if participant != nil || reason != nil { throw ValidationError("--resume takes no participant or --reason: it only finishes an earlier forget") }
        } else {
            if participant == nil { throw ValidationError("name the participant to forget (or --resume)") }
            if reason == nil { throw ValidationError("--reason: say why the participant is forgotten (it goes into the audit trail)") }
        }
        if wait < 0 { throw ValidationError("--wait must not be negative") }
    }

    func run() throws {
        let directory = storeOption.directory
        let onWait = { Console.error("\(directory): waiting for other processes to close the store before compacting it...") }
        guard let participant, let reason else {
            _ = try EventStore(directory: directory)  // a clear error when there is no store
            let done = try EventStore.compact(directory, wait: wait, onWait: onWait)
            print(done ? "\(directory): compacted; nothing is owed any more" : "\(directory): no compaction was owed")
            return
        }
        guard let key = try storeOption.masterKey() else {
            throw CommandError("forget needs the master key: --key-file PATH or $\(MasterKey.environmentVariable)")
        }
        let report = try EventStore.forget(
            participant: participant, reason: reason, by: audit.who, directory: directory, key: key,
            compactionWait: wait, onWait: onWait)
        if let seq = report.appendedSeq {
            print("forgot \(participant): the content of \(report.eventsDestroyed) events can no longer be decrypted; appended participant.exited (withdrew) at seq \(seq); store compacted (\(report.bytesBefore / 1000) kB -> \(report.bytesAfter / 1000) kB)")
        } else {
            print("\(participant) was forgotten before; store compacted again (\(report.bytesBefore / 1000) kB -> \(report.bytesAfter / 1000) kB)")
        }
    }
}
