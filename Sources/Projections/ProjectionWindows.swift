import JourneyModel

/// The windows of the projection rules: pairing (contract 2.2), the dead-end follow-up (2.4)
/// and the gap that ends an episode (4.4), each in days, and the transaction-time cut of
/// `--recorded-by` (4.4); the contract's defaults unless a command is told otherwise.
public struct ProjectionWindows: Sendable, Equatable {
    public var windowDays: Int
    public var followUpDays: Int
    public var episodeGapDays: Int
    /// `--recorded-by` (contract 4.4): participant events, and retractions of them, count only
    /// if recorded (else appended) at or before this instant; `nil`: every event.
    public var recordedBy: Moment.Instant?

    public init(windowDays: Int = ContractDefaults.pairingWindowDays, followUpDays: Int = ContractDefaults.followUpDays,
                episodeGapDays: Int = ContractDefaults.episodeGapDays, recordedBy: Moment.Instant? = nil) {
        self.windowDays = windowDays
        self.followUpDays = followUpDays
        self.episodeGapDays = episodeGapDays
        self.recordedBy = recordedBy
    }
}
