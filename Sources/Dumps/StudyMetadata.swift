/// What a dump's data package says of the data beyond its tables (`datapackage.json`): title,
/// description, licence and contributors, as `journey dump` is told them.
public struct StudyMetadata: Sendable, Equatable {
    public var title = "JourneyStore projections"
    public var description = "Projections of a JourneyStore event log: participants, institutions, timeline, expectation-experience pairs and the referral audit."
    /// An SPDX licence id (`CC-BY-4.0`), or `nil`: not open data - shared under the study's
    /// data-access agreement.
    public var license: String?
    /// People or organisations, each with a role (`author`, `contributor`, `publisher`, ...).
    public var contributors: [(title: String, role: String)] = []

    public init() {}

    public static func == (a: StudyMetadata, b: StudyMetadata) -> Bool {
        a.title == b.title && a.description == b.description && a.license == b.license
            && a.contributors.map(\.title) == b.contributors.map(\.title) && a.contributors.map(\.role) == b.contributors.map(\.role)
    }
}
