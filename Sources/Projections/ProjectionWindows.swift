import JourneyModel

/// The two windows of the projection rules: pairing (contract 2.2) and the dead-end follow-up
/// (2.4), each in days; the contract's defaults unless a command is told otherwise.
public struct ProjectionWindows: Sendable, Equatable {
    public var windowDays: Int
    public var followUpDays: Int

    public init(windowDays: Int = ContractDefaults.pairingWindowDays, followUpDays: Int = ContractDefaults.followUpDays) {
        self.windowDays = windowDays
        self.followUpDays = followUpDays
    }
}
