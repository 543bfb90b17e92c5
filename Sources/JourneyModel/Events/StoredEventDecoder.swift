import Foundation

/// Decodes events as the store keeps them - compact JSON that `EventParser` validated when it
/// was imported - without validating them again: the readers of the log (projections, dumps)
/// decode every event of the store, and the strict parser's checks (UTF-8, duplicate members,
/// identifier characters, enum and taxonomy membership, calendar dates) were already made once.
///
/// The members of `data` are read by one walk over the type's declaration (`EventSchema`,
/// `Reader.walkData`), as the strict parser reads them. It is a fast path, not a second parser:
/// it returns `nil` at the first byte it does not expect (whitespace, an unknown member, a
/// number that is not a single digit, a score out of range...), and callers then parse with `EventParser`, which gives the same `Event` for a valid
/// record and a precise error for a damaged one. For every record the strict parser accepts,
/// `decode` returns `nil` or exactly the strict parser's `Event` (the tests check both parsers
/// on every event of the fixtures and on mutated records). Every read is bounds-checked, so a
/// damaged record cannot make it read outside its bytes.
///
/// Repeated strings (institution ids, roles, statement items, dates and times) come from a small
/// table of strings already made, so a journey's events share their storage instead of each
/// allocating its own. One decoder belongs to one thread.
public final class StoredEventDecoder {
    let strings = InternedStrings()

    public init() {}

    /// The event in `json` (a stored record's JSON), of type `type` (the record header's), or
    /// `nil` if the bytes are not in the exact form the store writes.
    public func decode(_ json: UnsafeRawBufferPointer, type: EventType) -> Event? {
        var r = Reader(bytes: json, table: strings)
        return r.event(type: type)
    }

}

/// A cursor over one record's JSON. Every accessor fails (returns `nil` or `false`) instead of
/// reading past the end.
struct Reader {
    let bytes: UnsafeRawBufferPointer
    var i = 0
    let table: InternedStrings

    init(bytes: UnsafeRawBufferPointer, table: InternedStrings) {
        self.bytes = bytes
        self.table = table
    }

    @inline(__always) func peek() -> UInt8 { i < bytes.count ? bytes[i] : 0 }

    @inline(__always) mutating func take(_ b: UInt8) -> Bool {
        guard i < bytes.count, bytes[i] == b else { return false }
        i += 1
        return true
    }

    /// A string's content range; escapes are allowed (and reported). Eight bytes at a time: a
    /// block without a quote or backslash is skipped whole.
    @inline(__always)
    mutating func token() -> JSONScanner.StringToken? {
        guard take(0x22) else { return nil }
        let base = bytes.baseAddress!
        let n = bytes.count
        let start = i
        var j = i
        var escapes = false
        while true {
            if j + 8 <= n {
                let v = UInt64(littleEndian: UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self))
                let ones: UInt64 = 0x0101_0101_0101_0101
                let quote = v ^ (ones &* 0x22)
                let slash = v ^ (ones &* 0x5C)
                let special = (((quote &- ones) & ~quote) | ((slash &- ones) & ~slash)) & (ones &* 0x80)
                if special == 0 { j += 8; continue }
                j += special.trailingZeroBitCount >> 3
            }
            guard j < n else { return nil }
            let b = base.load(fromByteOffset: j, as: UInt8.self)
            if b == 0x22 {
                i = j + 1
                return JSONScanner.StringToken(start: start, end: j, hasEscapes: escapes)
            }
            if b == 0x5C {
                escapes = true
                j += 2
            } else {
                j += 1
            }
        }
    }

    /// The next member's name (consuming its `:`), or `nil` at the object's end (consuming `}`)
    /// or on anything unexpected (`ok` then false). Names with escapes are not in the stored form.
    @inline(__always)
    mutating func key(first: Bool, ok: inout Bool) -> UnsafeRawBufferPointer? {
        if take(0x7D) { return nil }
        if !first && !take(0x2C) { ok = false; return nil }
        guard let t = token(), !t.hasEscapes, take(0x3A) else { ok = false; return nil }
        return UnsafeRawBufferPointer(rebasing: bytes[t.start..<t.end])
    }

    mutating func string() -> String? {
        guard let t = token() else { return nil }
        if t.hasEscapes {
            // Only strings the strict scanner accepted reach the store; its decoder unescapes.
            return JSONScanner(bytes).string(t)
        }
        return table.string(UnsafeRawBufferPointer(rebasing: bytes[t.start..<t.end]))
    }

    /// A string made without the intern table (unique values such as event ids).
    mutating func uniqueString() -> String? {
        guard let t = token() else { return nil }
        if t.hasEscapes { return JSONScanner(bytes).string(t) }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[t.start..<t.end]), as: UTF8.self)
    }

    /// An enum value, matched by its bytes (a value written with escapes is unescaped first).
    mutating func enumValue<E: RawRepresentable & NamedCases>(_: E.Type) -> E? where E.RawValue == String {
        guard let t = token() else { return nil }
        if t.hasEscapes { return E(rawValue: JSONScanner(bytes).string(t)) }
        return E.named(UnsafeRawBufferPointer(rebasing: bytes[t.start..<t.end]))
    }

    mutating func moment(dateTimeOnly: Bool) -> Moment? {
        guard let t = token(), !t.hasEscapes else { return nil }
        let raw = UnsafeRawBufferPointer(rebasing: bytes[t.start..<t.end])
        return Moment(parsing: raw, text: table.string(raw), dateTimeOnly: dateTimeOnly)
    }

    mutating func date() -> CalendarDate? {
        guard let t = token(), !t.hasEscapes, t.count == 10 else { return nil }
        return CalendarDate(parsing: UnsafeRawBufferPointer(rebasing: bytes[t.start..<t.end]))
    }

    /// A score: one digit 0-5.
    mutating func score() -> Int? {
        guard i + 1 < bytes.count else { return nil }
        let d = Int(bytes[i]) - 0x30
        let next = bytes[i + 1]
        guard d >= 0, d <= 5, next == 0x2C || next == 0x7D else { return nil }
        i += 1
        return d
    }

    mutating func bool() -> Bool? {
        if matches("true") { return true }
        if matches("false") { return false }
        return nil
    }

    mutating func matches(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard i + n <= bytes.count, memcmp(bytes.baseAddress! + i, literal.utf8Start, n) == 0 else { return false }
        i += n
        return true
    }

    // MARK: - Events

    mutating func event(type: EventType) -> Event? {
        guard take(0x7B) else { return nil }
        let declaration = EventSchema.declaration(type)
        var id: String?, participant: String?, at: Moment?, recorded: String?, source: EventSource?, by: String?
        var payload: EventPayload?
        var ok = true
        var first = true
        while let k = key(first: first, ok: &ok) {
            first = false
            switch EnvelopeField(k) {
            case .id?: id = uniqueString()
            case .type?: guard token() != nil else { return nil }
            case .participant?: participant = string(); if participant == nil { return nil }
            case .at?: at = moment(dateTimeOnly: false); if at == nil { return nil }
            case .recorded?:
                // Only its text is kept, and the import checked it: not parsed again.
                guard let t = token(), !t.hasEscapes else { return nil }
                recorded = table.string(UnsafeRawBufferPointer(rebasing: bytes[t.start..<t.end]))
            case .source?: source = enumValue(EventSource.self); if source == nil { return nil }
            case .by?: by = string(); if by == nil { return nil }
            case .data?: payload = data(declaration); if payload == nil { return nil }
            default: return nil
            }
        }
        guard ok, i == bytes.count, let id, let at, let source, let payload = payload.take(),
              declaration.allows(participant: participant != nil) else { return nil }
        return Event(id: id, participant: participant, at: at, recorded: recorded, source: source, by: by, payload: payload)
    }

    /// The payload of a `data` object, by the type's declaration.
    @inline(__always)
    mutating func data(_ declaration: EventDeclaration) -> EventPayload? {
        var values = PayloadValues()
        guard walkData(declaration, into: &values) else { return nil }
        return declaration.make(&values)
    }
}

/// A direct-mapped table of strings already made, keyed by their UTF-8 bytes: a hit returns the
/// same `String` (sharing its storage), a miss makes the string and takes the slot. Raw storage,
/// so that a lookup is a hash, a compare and a retain.
final class InternedStrings {
    private static let slots = 4096
    private static let longest = 48
    /// Per slot: the key's hash (0 = empty), the key's bytes (up to `longest`), its length, the string.
    private let hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: slots)
    private let keys = UnsafeMutablePointer<UInt8>.allocate(capacity: slots * longest)
    private let lengths = UnsafeMutablePointer<Int>.allocate(capacity: slots)
    private let values = UnsafeMutablePointer<String>.allocate(capacity: slots)

    init() {
        hashes.initialize(repeating: 0, count: Self.slots)
        lengths.initialize(repeating: 0, count: Self.slots)
        values.initialize(repeating: "", count: Self.slots)
    }

    deinit {
        values.deinitialize(count: Self.slots)
        values.deallocate()
        hashes.deallocate()
        keys.deallocate()
        lengths.deallocate()
    }

    func string(_ b: UnsafeRawBufferPointer) -> String {
        let n = b.count
        guard n > 0, n <= Self.longest else { return String(decoding: b, as: UTF8.self) }
        let p = b.baseAddress!
        let h = ByteHash.hash(b) | 1
        let slot = Int(truncatingIfNeeded: h >> 40) & (Self.slots - 1)
        let key = keys + slot * Self.longest
        if hashes[slot] == h && lengths[slot] == n && memcmp(key, p, n) == 0 { return values[slot] }
        let s = String(decoding: b, as: UTF8.self)
        hashes[slot] = h
        lengths[slot] = n
        memcpy(key, p, n)
        values[slot] = s
        return s
    }
}
