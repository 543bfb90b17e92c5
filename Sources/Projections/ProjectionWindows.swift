import JourneyModel

/// The windows of the projection rules: pairing (contract 2.2), the dead-end follow-up (2.4)
/// and the gap that ends an episode (4.4), each in days; the contract's defaults unless a command
/// is told otherwise.
public struct ProjectionWindows: Sendable, Equatable {
    public var windowDays: Int
    public var followUpDays: Int
    public var episodeGapDays: Int

    public init(windowDays: Int = ContractDefaults.pairingWindowDays, followUpDays: Int = ContractDefaults.followUpDays,
                episodeGapDays: Int = ContractDefaults.episodeGapDays) {
        self.windowDays = windowDays
        self.followUpDays = followUpDays
        self.episodeGapDays = episodeGapDays
    }
}
