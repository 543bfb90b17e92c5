/// Parses and validates one JSON line into an `Event`, applying every rule of contract 1.1-1.3
/// that can be checked from the line alone. (Rules that need the log - duplicate ids, retraction
/// targets and the participant of a retraction - are the importer's.)
public enum EventParser {
    /// Parses one line (without its line end). Throws an `InputError` naming the field at fault.
    public static func parse(_ line: UnsafeRawBufferPointer, taxonomy: Taxonomy = .shared) throws(InputError) -> Event {
        var compact = false
        return try parse(line, taxonomy: taxonomy, isCompact: &compact)
    }

    /// Parses one line and also tells whether it is already in the stored form of
    /// `JSONCompactor` (no whitespace, no nulls, no store fields), so it can be stored as is.
    /// With `keepsText` false the line is validated exactly the same, but the event's free texts,
    /// the texts of its times and its statement items are left empty (`JSONScanner.keepsText`).
    public static func parse(
        _ line: UnsafeRawBufferPointer, taxonomy: Taxonomy = .shared, isCompact: inout Bool, keepsText: Bool = true
    ) throws(InputError) -> Event {
        var s = JSONScanner(line)
        s.keepsText = keepsText
        var hadStoreFields = false
        guard try s.peekKind() == .object else { throw InputError("line is not a JSON object") }
        try s.beginObject()

        var seen: UInt16 = 0
        var id: String?
        var type: EventType?
        var participant: String?
        var at: Moment?
        var recorded: String?
        var source: EventSource?
        var by: String?
        var byHasSemicolon = false
        var payload: EventPayload?
        var deferredData: Range<Int>?

        var first = true
        while let key = try s.nextKey(first: first) {
            first = false
            let field = key.hasEscapes ? EnvelopeField(named: s.string(key))
                : EnvelopeField(UnsafeRawBufferPointer(rebasing: s.bytes[key.start..<key.end]))
            if let field {
                if seen & field.bit != 0 { throw InputError("duplicate key \(quoted(s.string(key))) in the event") }
                seen |= field.bit
            }
            switch field {
            case .id?:
                id = try readIdentifier(&s, "id", max: 128, colon: true)
            case .type?:
                let token = try readStringToken(&s, "type")
                // Matched by its bytes; only a name written with escapes needs a String.
                let known = token.hasEscapes ? EventType(name: s.string(token))
                    : EventType(nameBytes: UnsafeRawBufferPointer(rebasing: s.bytes[token.start..<token.end]))
                guard let t = known else {
                    throw InputError("type: unknown event type \(quoted(s.string(token))) (expected one of \(EventType.allCases.map(\.name).joined(separator: ", ")))")
                }
                type = t
            case .participant?:
                if try readNullIfPresent(&s) { break }
                participant = try readIdentifier(&s, "participant", max: 64, colon: false)
            case .at?:
                at = try readMoment(&s, "at", dateTimeOnly: false)
            case .recorded?:
                if try readNullIfPresent(&s) { break }
                recorded = try readMoment(&s, "recorded", dateTimeOnly: true).text
            case .source?:
                source = try readEnum(&s, "source", EventSource.self)
            case .by?:
                if try readNullIfPresent(&s) { break }
                let t = try readStringToken(&s, "by")
                by = s.keepsText ? s.string(t) : ""
                // A coder's name is listed ;-joined (contract 4.1): checked once the type is known.
                byHasSemicolon = t.hasEscapes ? s.string(t).contains(";") : s.bytes[t.start..<t.end].contains(0x3B)
            case .data?:
                if let type {
                    payload = try parseData(&s, type: type, taxonomy: taxonomy)
                } else {
                    s.skipWhitespace()
                    let start = s.index
                    try s.skipValue()
                    deferredData = start..<s.index
                }
            case .seq?, .appended?, .hash?:
                hadStoreFields = true
                try s.skipValue()  // the store's own fields: ignored on import
            default:
                throw InputError("unknown field \(quoted(s.string(key))) in the event")
            }
        }
        try s.expectEnd()

        guard let id else { throw missing("id") }
        guard let type else { throw missing("type") }
        guard let at else { throw missing("at") }
        guard let source else { throw missing("source") }
        if payload == nil, let range = deferredData {
            var inner = JSONScanner(UnsafeRawBufferPointer(rebasing: line[range]))
            inner.keepsText = keepsText
            payload = try parseData(&inner, type: type, taxonomy: taxonomy)
            if inner.needsCompaction { s.needsCompaction = true }
        }
        isCompact = !s.needsCompaction && !hadStoreFields
        guard let payload = payload.take() else { throw missing("data") }
        if byHasSemicolon && type.isCoding { throw InputError("by: must not contain \";\" on \(type.name) (coders are listed ;-joined)") }
        switch EventSchema.declaration(type).participant {
        case .absent:
            if participant != nil { throw InputError("participant: must be absent on \(type.name)") }
        case .asTarget:
            break  // equal to the target's; the importer checks it against the log
        case .required:
            if participant == nil { throw missing("participant") }
        }
        return Event(id: id, participant: participant, at: at, recorded: recorded, source: source, by: by, payload: payload)
    }

    /// Parses and validates one event line and appends its stored form to `out`: the line itself
    /// when it is already compact (the common case, a copy), else its compaction. With
    /// `keepsText` false the event's texts are left empty (see `parse`): enough to index it.
    public static func parseAndStore(
        _ line: UnsafeRawBufferPointer, into out: inout [UInt8], keepsText: Bool = true
    ) throws(InputError) -> Event {
        var isCompact = false
        let event = try EventParser.parse(line, isCompact: &isCompact, keepsText: keepsText)
        if isCompact {
            out.append(contentsOf: line)
        } else {
            try JSONCompactor.compact(line, into: &out)
        }
        return event
    }

    /// Parses one line given as bytes.
    public static func parse(_ line: [UInt8], taxonomy: Taxonomy = .shared) throws(InputError) -> Event {
        do {
            return try line.withUnsafeBytes { raw in try parse(raw, taxonomy: taxonomy) }
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError("\(error)")
        }
    }

    // MARK: - Data by type

    /// The payload of a `data` object, by the type's declaration (`EventSchema`).
    private static func parseData(_ s: inout JSONScanner, type: EventType, taxonomy: Taxonomy) throws(InputError) -> EventPayload {
        let d = EventSchema.declaration(type)
        guard try s.peekKind() == .object else { throw InputError("data: must be an object") }
        try s.beginObject()
        var values = PayloadValues()
        var seen: UInt32 = 0, present: UInt32 = 0
        var first = true
        while let key = try s.nextKey(first: first) {
            first = false
            let named = key.hasEscapes ? d.member(named: s.string(key))
                : d.member(UnsafeRawBufferPointer(rebasing: s.bytes[key.start..<key.end]))
            guard let m = named else { throw unknown(s.string(key), type) }
            let bit = UInt32(1) << UInt32(m)
            if seen & bit != 0 { throw InputError("duplicate key \(quoted(s.string(key))) in data") }
            seen |= bit
            if d.layout[m].isOptional, try readNullIfPresent(&s) { continue }
            try readValue(&s, d, m, into: &values, taxonomy: taxonomy)
            present |= bit
        }
        if seen & d.requiredMask != d.requiredMask {
            for m in d.members.indices where !d.layout[m].isOptional && seen & (UInt32(1) << UInt32(m)) == 0 { throw missing(d.paths[m]) }
        }
        if !d.isComplete(present: present) {
            throw InputError("missing required field \(d.oneOf.map { quoted("data." + $0) }.joined(separator: " or "))")
        }
        let payload = d.make(&values)
        try checkPayload(payload)
        return payload
    }

    /// Member `m`'s value, checked by its kind.
    private static func readValue(_ s: inout JSONScanner, _ d: EventDeclaration, _ m: Int, into values: inout PayloadValues,
                                  taxonomy: Taxonomy) throws(InputError) {
        let field = d.paths[m]
        switch d.layout[m].tag {
        case .identifier:
            guard case .identifier(let max, let colon) = d.members[m].kind else { return }
            values.set(m, .text(try readIdentifier(&s, field, max: max, colon: colon)))
        case .institution:
            values.set(m, .text(try readInstitution(&s, field, referrerAllowed: false)))
        case .referrer:
            values.set(m, .text(try readInstitution(&s, field, referrerAllowed: true)))
        case .text:
            values.set(m, .text(try readString(&s, field)))
        case .code:
            values.set(m, .code(try readCode(&s, field, d, m)))
        case .codes:
            let texts = try readUniqueStrings(&s, field)
            guard case .codes(let set, let nonEmpty) = d.members[m].kind else { return }
            if nonEmpty && texts.isEmpty { throw InputError("\(field): must not be empty") }
            values.beginList(m, .codes)
            for text in texts {
                guard let index = set.index(text) else { throw badValue(field, text, set.names) }
                values.codeElement(m, index)
            }
            values.endList(m, .codes)
        case .categories:
            let codes = try readUniqueStrings(&s, field)
            for code in codes where taxonomy.category(code) == nil {
                throw badValue(field, code, taxonomy.categories.map(\.code))
            }
            guard !codes.isEmpty else { throw InputError("\(field): must not be empty") }
            values.set(m, .texts(codes))
        case .texts:
            values.set(m, .texts(try readStrings(&s, field)))
        case .date:
            values.set(m, .date(try readDate(&s, field)))
        case .dateTime:
            values.set(m, .moment(try readMoment(&s, field, dateTimeOnly: true)))
        case .score:
            values.set(m, .score(try readScore(&s, field)))
        case .flag:
            values.set(m, .flag(try readBool(&s, field)))
        case .statements:
            values.set(m, .statements(try readStatements(&s, field)))
        case .covariateName:
            let name = s.string(try readStringToken(&s, field))
            guard CovariateDefinition.isWellFormed(name) else {
                throw InputError("\(field): \(quoted(name)) must be a lowercase letter, then up to 31 of a-z, 0-9 and _")
            }
            if CovariateDefinition.reservedNames.contains(name) {
                throw InputError("\(field): \(quoted(name)) is a column of participants.csv and cannot name a covariate")
            }
            values.set(m, .text(name))
        case .number:
            values.set(m, .text(try readFiniteNumber(&s, field)))
        case .uniqueTexts:
            values.set(m, .texts(try readUniqueStrings(&s, field)))
        case .categoryLabels:
            values.set(m, .json(try readCategoryLabels(&s, field)))
        case .covariateValues:
            values.set(m, .json(try readCovariateValues(&s, field)))
        case .textMap:
            let kind = try s.peekKind()
            guard kind == .object else { throw wrongKind(field, "an object of field -> text", kind) }
            let value = try JSONValue.read(&s, depth: 1)
            guard case .object(let members) = value, !members.isEmpty else { throw InputError("\(field): must not be empty") }
            for (name, v) in members.sorted(by: { $0.key < $1.key }) {
                guard case .string = v else { throw InputError("\(field).\(name): must be a string") }
            }
            values.set(m, .json(value))
        }
    }

    /// A finite JSON number, as written.
    private static func readFiniteNumber(_ s: inout JSONScanner, _ field: String) throws(InputError) -> String {
        let kind = try s.peekKind()
        guard kind == .number else { throw wrongKind(field, "a number", kind) }
        let n = try s.readNumber()
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: s.bytes[n.start..<n.end]), as: UTF8.self)
        guard let v = Double(text), v.isFinite else { throw InputError("\(field): \(text) is not a finite number") }
        return text
    }

    /// A non-empty object of category code -> {`label`, `labelNl`?} (contract 4.1).
    private static func readCategoryLabels(_ s: inout JSONScanner, _ field: String) throws(InputError) -> JSONValue {
        let kind = try s.peekKind()
        guard kind == .object else { throw wrongKind(field, "an object of category code -> {label, labelNl}", kind) }
        let value = try JSONValue.read(&s, depth: 1)
        guard case .object(let members) = value, !members.isEmpty else { throw InputError("\(field): must not be empty") }
        for (code, labels) in members.sorted(by: { $0.key < $1.key }) {
            if code.isEmpty { throw InputError("\(field): a category code must not be empty") }
            guard case .object(let l) = labels else { throw InputError("\(field).\(code): expected an object {label, labelNl}") }
            guard case .string? = l["label"] else { throw InputError("\(field).\(code).label: must be a string") }
            if let nl = l["labelNl"], case .string = nl {} else if l["labelNl"] != nil {
                throw InputError("\(field).\(code).labelNl: must be a string")
            }
            if let other = l.keys.sorted().first(where: { $0 != "label" && $0 != "labelNl" }) {
                throw InputError("\(field).\(code): unknown field \(quoted(other))")
            }
        }
        return value
    }

    /// A non-empty object of covariate name -> number, boolean or string (contract 4.1); that
    /// each name is defined and each value fits is checked against the log by the importer.
    private static func readCovariateValues(_ s: inout JSONScanner, _ field: String) throws(InputError) -> JSONValue {
        let kind = try s.peekKind()
        guard kind == .object else { throw wrongKind(field, "an object of covariate name -> value", kind) }
        let value = try JSONValue.read(&s, depth: 1)
        guard case .object(let members) = value, !members.isEmpty else { throw InputError("\(field): must not be empty") }
        for (name, v) in members.sorted(by: { $0.key < $1.key }) {
            switch v {
            case .null: throw InputError("\(field).\(name): must not be null")
            case .object, .array: throw InputError("\(field).\(name): must be a number, true or false, or a string")
            case .number(let text):
                guard let d = Double(text), d.isFinite else { throw InputError("\(field).\(name): \(text) is not a finite number") }
            case .bool, .string: break
            }
        }
        return value
    }

    /// The rules of a type that tie its members together (contract 4.1).
    private static func checkPayload(_ payload: EventPayload) throws(InputError) {
        guard case .covariateDefined(let c) = payload else { return }
        if c.kind == .category {
            if c.categories.isEmpty { throw missing("data.categories") }
        } else if !c.categories.isEmpty {
            throw InputError("data.categories: only a covariate of kind category has categories")
        }
        if c.kind != .integer && c.kind != .number {
            if c.min != nil { throw InputError("data.min: only an integer or number covariate has bounds") }
            if c.max != nil { throw InputError("data.max: only an integer or number covariate has bounds") }
        }
        if let min = c.min, let max = c.max, min > max { throw InputError("data.min: must not be more than data.max") }
    }

    // MARK: - Field readers

    /// Consumes `null` and returns true if the next value is null.
    private static func readNullIfPresent(_ s: inout JSONScanner) throws(InputError) -> Bool {
        guard try s.peekKind() == .null else { return false }
        try s.readNull()
        return true
    }

    private static func readString(_ s: inout JSONScanner, _ field: String) throws(InputError) -> String {
        let t = try readStringToken(&s, field)
        return s.keepsText ? s.string(t) : ""
    }

    /// The next value's string token; an error naming `field` if the value is not a string.
    private static func readStringToken(_ s: inout JSONScanner, _ field: String) throws(InputError) -> JSONScanner.StringToken {
        let kind = try s.peekKind()
        guard kind == .string else { throw wrongKind(field, "a string", kind) }
        return try s.readString()
    }

    private static func readBool(_ s: inout JSONScanner, _ field: String) throws(InputError) -> Bool {
        let kind = try s.peekKind()
        guard kind == .bool else { throw wrongKind(field, "true or false", kind) }
        return try s.readBool()
    }

    private static func readEnum<E: RawRepresentable & NamedCases>(
        _ s: inout JSONScanner, _ field: String, _: E.Type
    ) throws(InputError) -> E where E.RawValue == String {
        let token = try readStringToken(&s, field)
        // Matched by its bytes; only a value written with escapes needs a String.
        let known = token.hasEscapes ? E(rawValue: s.string(token))
            : E.named(UnsafeRawBufferPointer(rebasing: s.bytes[token.start..<token.end]))
        guard let e = known else { throw badValue(field, s.string(token), E.allCases.map(\.rawValue)) }
        return e
    }

    /// A code of member `m`'s set, by its number.
    private static func readCode(_ s: inout JSONScanner, _ field: String, _ d: EventDeclaration, _ m: Int) throws(InputError) -> Int {
        let token = try readStringToken(&s, field)
        // Matched by its bytes; only a value written with escapes needs a String.
        let known = token.hasEscapes ? d.codeSets[m]?.index(s.string(token))
            : d.code(m, UnsafeRawBufferPointer(rebasing: s.bytes[token.start..<token.end]))
        guard let index = known else { throw badValue(field, s.string(token), d.codeSets[m]?.names ?? []) }
        return index
    }

    private static func readInstitution(_ s: inout JSONScanner, _ field: String, referrerAllowed: Bool) throws(InputError) -> String {
        let v = try readIdentifier(&s, field, max: 64, colon: false)
        if !Referrer.isInstitution(v) && !referrerAllowed {
            throw InputError("\(field): \(quoted(v)) is not an institution; self and network are allowed only in referral.from and expectation.cameVia")
        }
        return v
    }

    /// Reads a string that must be 1-`max` characters of `[A-Za-z0-9._-]` (and `:` if `colon`),
    /// checking the bytes before making a String.
    private static func readIdentifier(_ s: inout JSONScanner, _ field: String, max: Int, colon: Bool) throws(InputError) -> String {
        let t = try readStringToken(&s, field)
        var valid = !t.hasEscapes && t.count >= 1 && t.count <= max
        if valid {
            for i in t.start..<t.end where !Identifier.allowed(s.bytes[i], colon: colon) { valid = false; break }
        }
        let v = s.string(t)
        if !valid && !(t.hasEscapes && Identifier.matches(v, max: max, colon: colon)) {
            throw InputError("\(field): \(quoted(v)) must be 1-\(max) characters of A-Z a-z 0-9 . _ -\(colon ? " :" : "")")
        }
        return v
    }

    private static func readMoment(_ s: inout JSONScanner, _ field: String, dateTimeOnly: Bool) throws(InputError) -> Moment {
        let t = try readStringToken(&s, field)
        let raw = UnsafeRawBufferPointer(rebasing: s.bytes[t.start..<t.end])
        let text = s.keepsText || t.hasEscapes ? s.string(t) : ""
        let m: Moment? = t.hasEscapes ? Moment(text, dateTimeOnly: dateTimeOnly) : Moment(parsing: raw, text: text, dateTimeOnly: dateTimeOnly)
        guard let m else {
            let text = s.string(t)
            throw InputError(dateTimeOnly
                ? "\(field): \(quoted(text)) is not an RFC 3339 date-time with an offset (like 2023-05-14T08:30:00+02:00)"
                : "\(field): \(quoted(text)) is not a valid date (YYYY-MM-DD) or RFC 3339 date-time with an offset")
        }
        return m
    }

    private static func readDate(_ s: inout JSONScanner, _ field: String) throws(InputError) -> CalendarDate {
        let t = try readStringToken(&s, field)
        let date = t.hasEscapes ? CalendarDate(s.string(t)) : CalendarDate(parsing: UnsafeRawBufferPointer(rebasing: s.bytes[t.start..<t.end]))
        guard let date else { throw InputError("\(field): \(quoted(s.string(t))) is not a valid date (YYYY-MM-DD)") }
        return date
    }

    private static func readScore(_ s: inout JSONScanner, _ field: @autoclosure () -> String) throws(InputError) -> Int {
        let kind = try s.peekKind()
        guard kind == .number else { throw wrongKind(field(), "an integer 0-5", kind) }
        let n = try s.readNumber()
        if n.isInteger && n.end - n.start == 1 {
            let digit = Int(s.bytes[n.start]) - 0x30
            if digit <= 5 { return digit }
        }
        // `-0` is the JSON integer 0 (stored as `0`, see `JSONCompactor`).
        if n.isInteger && n.end - n.start == 2 && s.bytes[n.start] == UInt8(ascii: "-") && s.bytes[n.start + 1] == UInt8(ascii: "0") { return 0 }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: s.bytes[n.start..<n.end]), as: UTF8.self)
        guard n.isInteger else { throw InputError("\(field()): score \(text) must be an integer written without fraction or exponent") }
        throw InputError("\(field()): score \(text) is out of range 0-5")
    }

    private static func readStatements(_ s: inout JSONScanner, _ field: String) throws(InputError) -> [StatementScore] {
        let kind = try s.peekKind()
        guard kind == .object else { throw wrongKind(field, "an object of item -> score", kind) }
        try s.beginObject()
        // Items are told apart by their tokens (bytes, decoded only where escapes make bytes and
        // text differ), so that an import, which keeps no items (`keepsText`), checks the same.
        var items: [StatementScore] = []
        var keys: [JSONScanner.StringToken] = []
        keys.reserveCapacity(4)  // questionnaires ask a few items; spares the first regrowths
        if s.keepsText { items.reserveCapacity(4) }
        var first = true
        while let key = try s.nextKey(first: first) {
            first = false
            if keys.contains(where: { s.sameText($0, key) }) { throw InputError("\(field): duplicate key \(quoted(s.string(key)))") }
            if try s.peekKind() == .null { throw InputError("\(field).\(s.string(key)): must not be null") }
            let names = s  // the item is named only if the score is bad
            let score = try readScore(&s, "\(field).\(names.string(key))")
            keys.append(key)
            if s.keepsText { items.append(StatementScore(item: s.string(key), score: score)) }
        }
        return items
    }

    private static func readStrings(_ s: inout JSONScanner, _ field: String) throws(InputError) -> [String] {
        let kind = try s.peekKind()
        guard kind == .array else { throw wrongKind(field, "an array of strings", kind) }
        try s.beginArray()
        var out: [String] = []
        var first = true
        while try s.hasNextElement(first: first) {
            first = false
            let k = try s.peekKind()
            if k == .null { throw InputError("\(field): entries must not be null") }
            guard k == .string else { throw wrongKind("\(field) entry", "a string", k) }
            out.append(s.string(try s.readString()))
        }
        return out
    }

    private static func readUniqueStrings(_ s: inout JSONScanner, _ field: String) throws(InputError) -> [String] {
        let values = try readStrings(&s, field)
        for (i, v) in values.enumerated() where values[..<i].contains(v) {
            throw InputError("\(field): \(quoted(v)) is repeated")
        }
        return values
    }

    // MARK: - Errors

    private static func missing(_ field: String) -> InputError { InputError("missing required field \(quoted(field))") }

    private static func unknown(_ name: String, _ type: EventType) -> InputError {
        InputError("unknown field \(quoted(name)) in data of \(type.name)")
    }

    private static func badValue(_ field: String, _ value: String, _ allowed: [String]) -> InputError {
        InputError("\(field): \(quoted(value)) is not one of \(allowed.joined(separator: ", "))")
    }

    private static func wrongKind(_ field: String, _ expected: String, _ found: JSONScanner.Kind) -> InputError {
        if found == .null { return InputError("\(field): must not be null") }
        return InputError("\(field): expected \(expected), found \(found)")
    }

    static func quoted(_ s: String) -> String {
        let shown = s.count > 80 ? String(s.prefix(80)) + "..." : s
        return "\"" + shown + "\""
    }
}
