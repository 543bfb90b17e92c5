import JourneyModel

/// One non-retracted `institution.coded` or `institution.agreed` event (`codings.csv`).
public struct CodingRecord: Sendable {
    public let eventId: String
    /// The coder: the exact `by` (absent and `""` are one coder, `""`).
    public let coder: String
    /// `at` as written.
    public let at: String
    /// True for an `institution.agreed` (a consensus).
    public let consensus: Bool
    public let coding: InstitutionCoding
    /// True if this event is the institution's coding (contract 4.1).
    public var current = false
}
