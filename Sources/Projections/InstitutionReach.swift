/// How many participants named (mentioned) and contacted each institution, tallied one
/// participant at a time: "participants per institution", for `stats`, the report and the dump.
public struct InstitutionReach: Sendable {
    /// Institution id -> participants who named it (in any event).
    public private(set) var mentioning: [String: Int] = [:]
    /// Institution id -> participants with a contact or experience with it.
    public private(set) var contacting: [String: Int] = [:]

    public init() {}

    /// The reach over `facts`.
    public init(_ facts: [ParticipantFacts]) {
        for f in facts { add(f) }
    }

    /// Counts one participant.
    public mutating func add(_ facts: ParticipantFacts) {
        for i in facts.mentioned { mentioning[i, default: 0] += 1 }
        for i in facts.contacted { contacting[i, default: 0] += 1 }
    }

    /// The `top` institutions named by the most participants, most first (ties by id).
    public func busiest(top: Int) -> [(institution: String, participants: Int)] {
        mentioning.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(top).map { ($0.key, $0.value) }
    }
}
