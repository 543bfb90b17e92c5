import JourneyModel
import JourneyStore

/// The persisted state of the projection engine, kept in the store's own environment
/// (`ProjectionIndexes`: retractions and codings with a checkpoint), and the views that read
/// projections through it.
///
/// Projections are folds over the log; what a fold needs beyond the log and its indexes is
/// which events were retracted (and when) and which events coded each institution. After an
/// import only the new events are applied (`catchUp`), and `rebuild` makes it anew from the
/// whole log. Both give the same bytes, which the property tests check.
public struct ProjectionState: Sendable {
    /// The store whose log this state follows.
    public let store: EventStore
    /// The retractions and codings, with their checkpoint.
    let indexes: ProjectionIndexes
    /// Decoders for this state's views (`DecoderPool`).
    let decoders = DecoderPool()

    /// Opens (creating if the store is writable) the projection state of `store`.
    public init(store: EventStore) throws {
        self.store = store
        indexes = try ProjectionIndexes(store: store)
    }

    /// The last seq applied to the state.
    public func checkpoint() throws -> UInt64 { try indexes.checkpoint() }

    /// Applies every committed event after the checkpoint; returns how many were applied.
    /// Safe to run from several processes: the checkpoint is read inside the write transaction.
    @discardableResult
    public func catchUp() throws -> Int { try indexes.catchUp() }

    /// Clears the state and applies the whole log again.
    public func rebuild() throws { try indexes.rebuild() }

    /// A snapshot of everything as of log position `upto` (default: the head).
    public func view<R>(upto: UInt64? = nil, _ body: (borrowing ProjectionView) throws -> R) throws -> R {
        try view(upto: upto, records: nil, body)
    }

    /// `view(upto:)` whose events are found in `records` (listed in a snapshot that stays open
    /// meanwhile): the whole-cohort runs' fast path.
    package func view<R>(upto: UInt64?, records: RecordTable?, _ body: (borrowing ProjectionView) throws -> R) throws -> R {
        try store.read { snapshot in
            let s = min(upto ?? snapshot.head.seq, snapshot.head.seq)
            let view = try ProjectionView(state: self, snapshot: snapshot, upto: s, records: records)
            return try body(view)
        }
    }

    /// A digest of the state (for comparing a rebuild with catch-ups).
    public func contents() throws -> [[UInt8]] { try indexes.contents() }
}
