import ArgumentParser
import Foundation
import JourneyStore

/// `journey cluster`
struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Copy each participant's records together, so one journey reads in one seek.",
        discussion: """
            The log keeps events in the order they were appended, so one participant's events \
            lie spread over the whole store: a timeline of 50 events touches about 50 pages. \
            cluster copies every participant's records, byte for byte, into one place per \
            participant (as PostgreSQL's CLUSTER orders a table once): a timeline, pairs or \
            referral audit of one participant then reads a few neighbouring pages. Events \
            imported later are read from the log as before, until cluster runs again. The store \
            grows by about the size of its records; nothing is decrypted (sealed records are \
            copied sealed). It takes the writer lock (imports wait) and is safe to stop at any \
            moment: the copy counts only once it is complete. verify checks the copy against \
            the log; info says how far it reaches.
            """
    )

    @Option(help: ArgumentHelp("Records copied per LMDB transaction.", valueName: "N")) var batchSize = 100_000
    @OptionGroup var storeOption: StoreOption
    @OptionGroup var audit: AuditOption

    func validate() throws {
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        let directory = storeOption.directory
        // As every command that writes: a compaction forget owes is finished first.
        let report = try storeOption.open(writable: true).cluster(by: audit.who, chunk: batchSize)
        print("\(directory): \(report.records) records copied together by participant, up to seq \(report.upto) (\(report.bytesBefore / 1_000_000) MB -> \(report.bytesAfter / 1_000_000) MB)")
    }
}
