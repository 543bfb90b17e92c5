/// One rejected input line.
public struct LineError: Sendable, Hashable, CustomStringConvertible {
    /// Physical line number, from 1.
    public let line: Int
    /// Why it was rejected.
    public let message: String

    public var description: String { "\(line): \(message)" }
}

/// What one `import` of one file did.
public struct ImportReport: Sendable {
    /// The file as named by the user (`<stdin>` for `-`).
    public var file: String
    /// Events appended to the log.
    public var appended = 0
    /// Lines whose event was already in the log (or earlier in the file) with the same content.
    public var duplicates = 0
    /// The seq range appended, if any.
    public var seqRange: ClosedRange<UInt64>?
    /// The first rejected lines, in line order (at most `ImportOptions.maxReportedErrors`).
    public var errors: [LineError] = []
    /// How many lines were rejected in all.
    public var errorCount = 0
    /// Staged records of an earlier, interrupted import that were discarded first.
    public var discardedStaged = 0
    /// Index generations merged after the import committed (`IndexMerge`).
    public var indexMerges = 0
    /// Why merging index generations after the commit failed, if it did: the import stands
    /// (the store reads the same, a little slower, and the next import merges again).
    public var indexMergeProblem: String?

    /// True when the file was appended (or was all duplicates).
    public var succeeded: Bool { errorCount == 0 }
}

/// How an import runs.
public struct ImportOptions: Sendable {
    /// How many bad lines to describe; the rest are only counted.
    public var maxReportedErrors = 100
    /// Events per staging transaction (bounds memory; the file still commits as one); `nil` for
    /// `defaultBatchSize`.
    public var batchSize: Int?
    /// 100,000, which keeps a 1M-event import of a plain store under 300 MB. The id and
    /// participant index entries of `stagedIndexBatches` batches are gathered and written in key
    /// order at once, as one index generation; an encrypted store's events are also sealed per
    /// participant and batch, so larger batches mean fewer, larger groups.
    public static let defaultBatchSize = 100_000
    /// Batches whose id and participant index entries are gathered before they are written in
    /// key order (`StagedIndexEntries`, about 40 bytes an event): a 12M-event import at the
    /// default batch size writes them once, in its last transaction, as one index generation
    /// appended to empty databases (`IndexGenerations`) - fewer, larger generations to merge.
    static let stagedIndexBatches = 120
    /// Merge index generations after the commit (tests turn it off to look at the generations).
    var mergesIndexGenerations = true
    /// Tests: entries per transaction of a merge, and the merge transactions after which it stops
    /// (as a kill would; `IndexMerge`).
    var mergeEntriesPerTransaction = IndexMerge.entriesPerTransaction
    var failAfterMergeTransactions: Int?
    /// Events whose index entries are gathered before a flush; `nil` for `stagedIndexBatches`
    /// batches (tests make it small).
    var stagedIndexEvents: Int?
    /// The longest line accepted, in bytes; a longer one fails the import (`FILE:LINE: line
    /// longer than ...`), so memory stays bounded whatever the input.
    public var maxLineBytes = ImportOptions.defaultMaxLineBytes
    /// 64 MiB.
    public static let defaultMaxLineBytes = 64 << 20
    /// Called now and then with (lines read, bytes read).
    public var progress: (@Sendable (Int, Int) -> Void)?
    /// Called once if another process is writing and this import has to wait for it.
    public var onWait: (@Sendable () -> Void)?
    /// The audit entry the import writes: in the transaction that commits it, or on its own when
    /// it appended nothing, was rejected or failed. The import adds `outcome`, `appended`,
    /// `duplicates`, `seqs`, `badLines` or `reason`, and for the action `import` the `file`.
    public var audit = AuditRequest(action: "import")
    /// Index entries per transaction when staged entries are flushed (tests make it small).
    var indexPartEntries = 131_072
    /// Tests: the import fails as a killed one would, after this many index-flush transactions
    /// have committed.
    var failAfterIndexParts: Int?
    /// Forgetting this participant (`EventStore.forget`): their one event is sealed under the
    /// store key, and their data key is destroyed in the transaction that commits it.
    var forgetting: String?

    public init() {}
}
