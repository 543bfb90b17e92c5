extension StoredEventDecoder {
    /// The compact form of the event in `json` (a stored record's JSON, of header type `type`),
    /// its institutions numbered in `numbers`; `nil` where `decode` would give `nil` (bytes not
    /// in the exact form the store writes: the caller then decodes in full).
    ///
    /// It makes the same checks as `decode` - members, enum values, dates, scores - and reads
    /// only what a `CompactEvent` keeps: no String is made but for an institution id seen for the
    /// first time. For every record, it returns `nil` or the compact form of `decode`'s event.
    public func decodeCompact(_ json: UnsafeRawBufferPointer, type: EventType, seq: UInt64,
                              numbers: inout InstitutionNumbers) -> CompactEvent? {
        var r = Reader(bytes: json, table: strings)
        var none = NoRecordTexts()
        return r.compactEvent(type: type, seq: seq, numbers: &numbers, texts: &none)
    }

    /// `decodeCompact`, also finding where the texts a dump copies as written lie in `json`
    /// (`texts`, emptied first).
    public func decodeCompact(_ json: UnsafeRawBufferPointer, type: EventType, seq: UInt64,
                              numbers: inout InstitutionNumbers, texts: inout RecordTexts) -> CompactEvent? {
        var r = Reader(bytes: json, table: strings)
        texts.removeAll()
        return r.compactEvent(type: type, seq: seq, numbers: &numbers, texts: &texts)
    }
}

extension Reader {
    mutating func compactEvent<T: RecordTextSink>(type: EventType, seq: UInt64, numbers: inout InstitutionNumbers,
                                                  texts: inout T) -> CompactEvent? {
        guard take(0x7B) else { return nil }
        var at: Moment?, source: EventSource?, hasId = false, hasParticipant = false
        var data: CompactEvent?
        var ok = true
        var first = true
        while let k = key(first: first, ok: &ok) {
            first = false
            switch Member(k) {
            case .id: guard let t = token() else { return nil }; texts.text(.id, t); hasId = true
            case .type: guard token() != nil else { return nil }
            case .participant: guard token() != nil else { return nil }; hasParticipant = true
            case .at:
                guard let t = token(), !t.hasEscapes,
                      let m = Moment(parsing: UnsafeRawBufferPointer(rebasing: bytes[t.start..<t.end]), text: "") else { return nil }
                texts.text(.at, t)
                at = m
            case .recorded: guard let t = token(), !t.hasEscapes else { return nil }
            case .source: guard let s = enumValue(EventSource.self) else { return nil }; source = s
            case .by: guard token() != nil else { return nil }
            case .data:
                data = compactData(CompactEvent(seq: seq, type: type), numbers: &numbers, texts: &texts)
                if data == nil { return nil }
            default: return nil
            }
        }
        guard ok, i == bytes.count, hasId, let source, let at, var data else { return nil }
        switch type {
        case .institutionCoded: guard !hasParticipant else { return nil }
        case .eventRetracted: break
        default: guard hasParticipant else { return nil }
        }
        data.place(at: at)
        data.source = source
        return data
    }

    /// `event` with what its `data` adds.
    mutating func compactData<T: RecordTextSink>(_ event: CompactEvent, numbers: inout InstitutionNumbers, texts: inout T) -> CompactEvent? {
        guard take(0x7B) else { return nil }
        var e = event
        var ok = true
        var first = true
        var required = 0
        switch e.type {
        case .contact:
            while let k = key(first: first, ok: &ok) {
                first = false
                switch Member(k) {
                case .institution: guard let n = institutionNumber(&numbers, referrerAllowed: false) else { return nil }; e.institution = n; required += 1
                case .role: guard let t = token() else { return nil }; texts.text(.role, t)
                case .reason: guard let t = token() else { return nil }; texts.text(.reason, t)
                case .mode: guard enumValue(ContactMode.self) != nil else { return nil }
                default: return nil
                }
            }
            required -= 1

        case .experience:
            while let k = key(first: first, ok: &ok) {
                first = false
                switch Member(k) {
                case .institution: guard let n = institutionNumber(&numbers, referrerAllowed: false) else { return nil }; e.institution = n; required += 1
                case .contactOn: guard let d = date() else { return nil }; e.day = d.daysSinceEpoch; required += 1
                case .summary: guard token() != nil else { return nil }
                case .statements: guard statements(into: &texts) else { return nil }; required += 1
                default: return nil
                }
            }
            required -= 3

        case .expectation:
            while let k = key(first: first, ok: &ok) {
                first = false
                switch Member(k) {
                case .institution: guard let n = institutionNumber(&numbers, referrerAllowed: false) else { return nil }; e.institution = n; required += 1
                case .plannedFor: guard let d = date() else { return nil }; e.day = d.daysSinceEpoch; required += 1
                case .cameVia: guard let n = institutionNumber(&numbers, referrerAllowed: true) else { return nil }; e.counterpart = n
                case .needs: guard skipStringArray() else { return nil }
                case .expectedFulfilment: guard let f = score() else { return nil }; e.expectedFulfilment = Int8(f)
                case .statements: guard statements(into: &texts) else { return nil }; required += 1
                default: return nil
                }
            }
            required -= 3

        case .referral:
            while let k = key(first: first, ok: &ok) {
                first = false
                switch Member(k) {
                case .from: guard let n = institutionNumber(&numbers, referrerAllowed: true) else { return nil }; e.counterpart = n; required += 1
                case .to: guard let n = institutionNumber(&numbers, referrerAllowed: false) else { return nil }; e.institution = n; required += 1
                case .outcome: guard let (o, t) = namedValue(ReferralOutcome.self) else { return nil }; e.outcome = o; texts.text(.code, t); required += 1
                case .reason: guard let t = token() else { return nil }; texts.text(.reason, t)
                default: return nil
                }
            }
            required -= 3

        case .participantEnrolled:
            while let k = key(first: first, ok: &ok) {
                first = false
                switch Member(k) {
                case .ageBand: guard token() != nil else { return nil }
                case .childrenWithExPartner: guard bool() != nil else { return nil }
                case .abuse: guard skipEnumValues(AbuseKind.self) else { return nil }
                default: return nil
                }
            }

        case .participantExited:
            while let k = key(first: first, ok: &ok) {
                first = false
                guard Member(k) == .reason else { return nil }
                let named = namedValue(ExitReason.self)
                e.exitReason = named?.value
                if let named { texts.text(.code, named.token) }
            }
            guard e.exitReason != nil else { return nil }

        case .institutionCoded:
            while let k = key(first: first, ok: &ok) {
                first = false
                switch Member(k) {
                case .institution: guard let n = institutionNumber(&numbers, referrerAllowed: false) else { return nil }; e.institution = n; required += 1
                case .name: guard token() != nil else { return nil }; required += 1
                case .categories: guard skipStringArray() else { return nil }; required += 1
                case .levels: guard skipEnumValues(InstitutionLevel.self) else { return nil }; required += 1
                case .reason: guard let t = token() else { return nil }; texts.text(.reason, t)
                default: return nil
                }
            }
            required -= 4

        case .eventRetracted:
            while let k = key(first: first, ok: &ok) {
                first = false
                switch Member(k) {
                case .event: guard token() != nil else { return nil }; required += 1
                case .reason: guard let t = token() else { return nil }; texts.text(.reason, t); required += 1
                default: return nil
                }
            }
            required -= 2

        case .esmSession:
            while let k = key(first: first, ok: &ok) {
                first = false
                switch Member(k) {
                case .questionnaire: guard token() != nil else { return nil }; required += 1
                case .kind: guard enumValue(QuestionnaireKind.self) != nil else { return nil }; required += 1
                case .status: guard let (_, t) = namedValue(SessionStatus.self) else { return nil }; texts.text(.code, t); required += 1
                case .prompted: guard moment(dateTimeOnly: true) != nil else { return nil }; required += 1
                case .scheduled, .started, .ended, .expires: guard moment(dateTimeOnly: true) != nil else { return nil }
                default: return nil
                }
            }
            required -= 4
        }
        // Each required member counted once: a repeated one is not in the stored form either.
        guard ok, required == 0 else { return nil }
        return e
    }

    /// An institution id's number; `self`/`network` only where a referrer may stand.
    mutating func institutionNumber(_ numbers: inout InstitutionNumbers, referrerAllowed: Bool) -> Int32? {
        guard let t = token() else { return nil }
        let n = t.hasEscapes
            ? numbers.number(JSONScanner(bytes).string(t))
            : numbers.number(bytes: UnsafeRawBufferPointer(rebasing: bytes[t.start..<t.end]))
        return referrerAllowed || InstitutionNumbers.isInstitution(n) ? n : nil
    }

    /// An array of strings, read past.
    mutating func skipStringArray() -> Bool {
        guard take(0x5B) else { return false }
        if take(0x5D) { return true }
        repeat {
            guard token() != nil else { return false }
        } while take(0x2C)
        return take(0x5D)
    }

    /// An array of enum values, each checked, read past.
    mutating func skipEnumValues<E: RawRepresentable & NamedCases>(_: E.Type) -> Bool where E.RawValue == String {
        guard take(0x5B) else { return false }
        if take(0x5D) { return true }
        repeat {
            guard enumValue(E.self) != nil else { return false }
        } while take(0x2C)
        return take(0x5D)
    }

    /// A statements object (item -> score 0-5), each score checked, its items handed to `texts`.
    mutating func statements<T: RecordTextSink>(into texts: inout T) -> Bool {
        guard take(0x7B) else { return false }
        var ok = true
        var first = true
        while let name = key(first: first, ok: &ok) {
            first = false
            guard let score = score() else { return false }
            let start = name.baseAddress! - bytes.baseAddress!
            texts.item(start..<(start + name.count), score: score)
        }
        return ok
    }

    /// An enum value and its token.
    mutating func namedValue<E: RawRepresentable & NamedCases>(_: E.Type) -> (value: E, token: JSONScanner.StringToken)? where E.RawValue == String {
        let start = i
        guard let value = enumValue(E.self) else { return nil }
        return (value, JSONScanner.StringToken(start: start + 1, end: i - 1, hasEscapes: bytes[start + 1..<i - 1].contains(0x5C)))
    }
}
