/// Where the texts a dump copies as written lie in one stored record's JSON: its id, its `at`,
/// the texts its timeline detail comes from, and its statement items - found by the compact
/// decoder in the same pass (`StoredEventDecoder.decodeCompact(_:type:seq:numbers:texts:)`), so
/// a dump renders rows from the record's bytes without decoding an `Event`.
public struct RecordTexts: Sendable {
    /// Byte ranges in the record's JSON (string contents, without their quotes).
    public private(set) var id: Range<Int> = 0..<0
    public private(set) var at: Range<Int> = 0..<0
    /// A referral's outcome, an exit's reason, a session's status, as written.
    public private(set) var code: Range<Int>?
    /// A contact's role.
    public private(set) var role: Range<Int>?
    /// A contact's, a coding's or a retraction's reason (a referral's too, which its outcome
    /// precedes).
    public private(set) var reason: Range<Int>?
    /// An experience's summary: narrative text (`dump --free-text`).
    public private(set) var summary: Range<Int>?
    /// A contact's mode and professional group, a contact's or referral's `for`.
    public private(set) var mode: Range<Int>?
    public private(set) var professional: Range<Int>?
    public private(set) var forWhom: Range<Int>?
    /// The envelope's `by` and `recorded`.
    public private(set) var by: Range<Int>?
    public private(set) var recorded: Range<Int>?
    /// An expectation's needs, in the order written.
    public private(set) var needs: [Range<Int>] = []
    /// Statement items (name ranges) and scores, in the order written.
    public private(set) var items: [(item: Range<Int>, score: Int)] = []
    /// True if a text is written with escapes: its bytes are not its text, and the caller
    /// decodes the record in full instead.
    public private(set) var hasEscapes = false

    public init() {}

    /// Forgets everything found (keeping the room for items).
    public mutating func removeAll() {
        id = 0..<0
        at = 0..<0
        code = nil
        role = nil
        reason = nil
        summary = nil
        mode = nil
        professional = nil
        forWhom = nil
        by = nil
        recorded = nil
        items.removeAll(keepingCapacity: true)
        needs.removeAll(keepingCapacity: true)
        hasEscapes = false
    }

    /// The timeline's `detail` (contract section 3): the outcome, role, reason or exit reason
    /// (a session's status), the first present and non-empty - as `Event.detail` gives it.
    public var detail: Range<Int>? {
        if let code { return code }
        if let role, !role.isEmpty { return role }
        if let reason, !reason.isEmpty { return reason }
        return nil
    }
}

/// The texts of a record the compact decoder reports.
enum RecordTextField { case id, at, code, role, reason, summary, mode, professional, forWhom, by, recorded, need }

/// Where the compact decoder reports the texts it reads past.
protocol RecordTextSink {
    mutating func text(_ field: RecordTextField, _ token: JSONScanner.StringToken)
    mutating func item(_ name: Range<Int>, score: Int)
}

extension RecordTexts: RecordTextSink {
    mutating func text(_ field: RecordTextField, _ token: JSONScanner.StringToken) {
        if token.hasEscapes { hasEscapes = true }
        let range = token.start..<token.end
        switch field {
        case .id: id = range
        case .at: at = range
        case .code: code = range
        case .role: role = range
        case .reason: reason = range
        case .summary: summary = range
        case .mode: mode = range
        case .professional: professional = range
        case .forWhom: forWhom = range
        case .by: by = range
        case .recorded: recorded = range
        case .need: needs.append(range)
        }
    }

    mutating func item(_ name: Range<Int>, score: Int) { items.append((name, score)) }
}

/// A sink that keeps nothing (the rebuild's decoding).
struct NoRecordTexts: RecordTextSink {
    @inline(__always) mutating func text(_ field: RecordTextField, _ token: JSONScanner.StringToken) {}
    @inline(__always) mutating func item(_ name: Range<Int>, score: Int) {}
}

/// A sink that keeps the id only (the rebuild's decoding, for "by time" ties).
struct IdRecordText: RecordTextSink {
    var id: Range<Int> = 0..<0
    var hasEscapes = false
    @inline(__always) mutating func text(_ field: RecordTextField, _ token: JSONScanner.StringToken) {
        if field == .id {
            id = token.start..<token.end
            hasEscapes = token.hasEscapes
        }
    }
    @inline(__always) mutating func item(_ name: Range<Int>, score: Int) {}
}
