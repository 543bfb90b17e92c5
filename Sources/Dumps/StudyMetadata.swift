/// What a dump's data package says of the data beyond its tables (`datapackage.json`): title,
/// description, licence and contributors, as `journey dump` is told them; the manifest records
/// it so `dump --check` writes the package again.
public struct StudyMetadata: Codable, Sendable, Equatable {
    /// Someone who made the data, with a role (`author`, `contributor`, `publisher`, ...).
    public struct Contributor: Codable, Sendable, Equatable {
        public let title: String
        public let role: String

        public init(title: String, role: String) {
            self.title = title
            self.role = role
        }
    }

    public var title = "JourneyStore projections"
    public var description = "Projections of a JourneyStore event log: participants, institutions, timeline, expectation-experience pairs and the referral audit."
    /// An SPDX licence id (`CC-BY-4.0`), or `nil`: not open data - shared under the study's
    /// data-access agreement.
    public var license: String?
    public var contributors: [Contributor] = []

    public init() {}
}
