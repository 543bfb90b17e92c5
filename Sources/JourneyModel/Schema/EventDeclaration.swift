import Foundation

/// One event type's declaration: the members of its `data`, what it says of the envelope, and
/// how its payload is made from the members' values. The strict parser (`EventParser`), the
/// readers of stored records (`StoredEventDecoder`: full, compact, compact with texts) and the
/// JSON Schema (`EventSchemaDocument`) all follow it; `EventSchema` holds every type's.
public final class EventDeclaration: @unchecked Sendable {  // immutable once made
    public let type: EventType
    /// The members of `data`, in the order the JSON Schema lists them.
    public let members: [MemberDeclaration]
    /// Whether the envelope's `participant` is required, absent, or as the target's.
    public let participant: ParticipantRule
    /// True if the JSON Schema requires `at` to be a date-time (the app import writes one).
    /// The parser does not check it: stores that hold a session dated by day stay readable.
    public let atIsDateTime: Bool
    /// A description of the type's data for the JSON Schema.
    public let description: String?
    /// The payload of a record whose members were read into `values` (every required member
    /// present: the readers check that first).
    let make: @Sendable (inout PayloadValues) -> EventPayload

    /// What the readers use of each member, in memory that is never freed (the declarations
    /// live as long as the program): read without reference counting on every record.
    let layout: UnsafeMutableBufferPointer<MemberLayout>
    let codeSets: [CodeSet?]
    /// `data.` and the member's name, for messages.
    let paths: [String]
    /// Bit `i` set for each required member `i`.
    let requiredMask: UInt32
    /// Members of which at least one must be present (not null), by name; empty for none.
    public let oneOf: [String]
    /// Bit `i` set for each member `i` of `oneOf`; 0 for none.
    let oneOfMask: UInt32
    /// Every member's name as a `NameKey`, for matching names without a call per candidate
    /// (never freed, as `layout`).
    private let keys: UnsafeMutableBufferPointer<NameKey>

    init(_ type: EventType, participant: ParticipantRule = .required, atIsDateTime: Bool = false, description: String? = nil,
         oneOf: [String] = [], members: [MemberDeclaration], make: @escaping @Sendable (inout PayloadValues) -> EventPayload) {
        precondition(members.count <= PayloadValues.capacity, "\(type): more members than PayloadValues holds")
        self.type = type
        self.members = members
        self.participant = participant
        self.atIsDateTime = atIsDateTime
        self.description = description
        self.make = make
        layout = .allocate(capacity: members.count)
        _ = layout.initialize(from: members.map { m in
            var codes: CodeMatcher?
            switch m.kind {
            case .code(let set), .codes(let set, _): codes = set.immortalMatcher()
            default: codes = nil
            }
            return MemberLayout(tag: m.kind.tag, compact: m.compact, dumpText: m.dumpText, isOptional: !m.isRequired, codes: codes)
        })
        codeSets = members.map { m in
            switch m.kind {
            case .code(let set), .codes(let set, _): set
            default: nil
            }
        }
        paths = members.map { "data." + $0.name }
        var mask: UInt32 = 0
        for (i, m) in members.enumerated() where m.isRequired { mask |= 1 << UInt32(i) }
        requiredMask = mask
        self.oneOf = oneOf
        oneOfMask = oneOf.reduce(UInt32(0)) { mask, name in
            guard let m = members.firstIndex(where: { $0.name == name }) else { preconditionFailure("\(type): oneOf names no member \(name)") }
            return mask | 1 << UInt32(m)
        }
        keys = .allocate(capacity: members.count)
        _ = keys.initialize(from: members.map { m in
            var name = m.name
            return name.withUTF8 { NameKey(UnsafeRawBufferPointer($0)) }
        })
    }

    /// True if the members present (bit `i` for member `i`, null ones not counted) include
    /// every required one and one of `oneOf`.
    @inline(__always)
    func isComplete(present: UInt32) -> Bool {
        present & requiredMask == requiredMask && (oneOfMask == 0 || present & oneOfMask != 0)
    }

    /// True if an envelope with (`hasParticipant`) or without a participant fits the type.
    @inline(__always)
    func allows(participant hasParticipant: Bool) -> Bool {
        switch participant {
        case .required: hasParticipant
        case .absent: !hasParticipant
        case .asTarget: true
        }
    }

    /// The number of the member named by the UTF-8 bytes `name`, if the type has one.
    /// `expected`: the member tried first (records mostly list members in declaration order).
    @inline(__always)
    func member(_ name: UnsafeRawBufferPointer, expected: Int = 0) -> Int? {
        let key = NameKey(name)
        if expected < keys.count && keys[expected] == key && name.count <= 24 { return expected }
        for i in keys.indices where keys[i] == key {
            // Up to 24 bytes a key is the whole name; a longer one is checked byte for byte.
            if name.count <= 24 || members[i].name.utf8.elementsEqual(name) { return i }
        }
        return nil
    }

    /// The number of the member named `name`, if the type has one.
    func member(named name: String) -> Int? {
        var name = name
        return name.withUTF8 { member(UnsafeRawBufferPointer($0)) }
    }

    /// The number of the value written `bytes` in member `m`'s set of codes, if it is one.
    @inline(__always)
    func code(_ m: Int, _ bytes: UnsafeRawBufferPointer) -> Int? { layout[m].codes?.index(bytes) }
}

/// What the readers use of one member.
struct MemberLayout {
    let tag: ValueTag
    let compact: CompactRole?
    let dumpText: RecordTextField?
    let isOptional: Bool
    /// The values of a code or codes member.
    let codes: CodeMatcher?
}

/// What an event type says of the envelope's `participant`.
public enum ParticipantRule: Sendable {
    /// A participant's event: `participant` is required.
    case required
    /// Not a participant's event (`institution.coded`): `participant` must be absent.
    case absent
    /// As the event it names (a retraction): the importer checks it against the log.
    case asTarget
}

/// A name's length, its first eight bytes (zero-padded), the eight after them and its last
/// eight: equal keys are equal names up to 24 bytes.
struct NameKey: Equatable {
    let length: Int
    let head: UInt64
    let middle: UInt64
    let tail: UInt64

    @inline(__always)
    init(_ name: UnsafeRawBufferPointer) {
        let n = name.count
        length = n
        guard n > 0, let p = name.baseAddress else { head = 0; middle = 0; tail = 0; return }
        if n >= 8 {
            head = p.loadUnaligned(as: UInt64.self)
            middle = n >= 16 ? p.loadUnaligned(fromByteOffset: 8, as: UInt64.self) : 0
            tail = p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        } else {
            var h: UInt64 = 0
            for i in 0..<n { h |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << UInt64(8 * i) }
            head = h
            middle = 0
            tail = 0
        }
    }
}
