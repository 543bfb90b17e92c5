/// One member of an event type's `data`: its name, its kind, whether it must be there, and
/// what the projections take from it.
public struct MemberDeclaration: Sendable {
    /// The member's name in the JSON.
    public let name: String
    public let kind: ValueKind
    /// Required members must be present and not null; optional ones may be absent or null.
    public let isRequired: Bool
    /// What a compact event keeps of it (`CompactEvent`), if anything.
    let compact: CompactRole?
    /// Which of a record's texts a dump copies from it as written (`RecordTexts`), if any.
    let dumpText: RecordTextField?
    /// A description for the JSON Schema.
    public let description: String?

    /// A required member.
    static func required(_ name: String, _ kind: ValueKind, compact: CompactRole? = nil, dumpText: RecordTextField? = nil,
                         description: String? = nil) -> Self {
        Self(name: name, kind: kind, isRequired: true, compact: compact, dumpText: dumpText, description: description)
    }

    /// An optional member (absent or null when not known).
    static func optional(_ name: String, _ kind: ValueKind, compact: CompactRole? = nil, dumpText: RecordTextField? = nil,
                         description: String? = nil) -> Self {
        Self(name: name, kind: kind, isRequired: false, compact: compact, dumpText: dumpText, description: description)
    }
}

/// Where a member's value goes in a `CompactEvent`.
enum CompactRole: Sendable {
    /// `institution`: the event's institution (a referral's `to`).
    case institution
    /// `counterpart`: a referral's `from`, an expectation's `cameVia`.
    case counterpart
    /// `day`: the date the data name.
    case day
    /// `outcome` (a `ReferralOutcome`).
    case outcome
    /// `exitReason` (an `ExitReason`).
    case exitReason
    /// `expectedFulfilment`.
    case fulfilment
    /// `professional` (a `ProfessionalGroup`).
    case professional
}
