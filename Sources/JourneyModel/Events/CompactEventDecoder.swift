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

    /// `decodeCompact`, also giving where the event's id lies in `json` (`id`).
    public func decodeCompact(_ json: UnsafeRawBufferPointer, type: EventType, seq: UInt64,
                              numbers: inout InstitutionNumbers, id: inout Range<Int>) -> CompactEvent? {
        var r = Reader(bytes: json, table: strings)
        var sink = IdRecordText()
        let event = r.compactEvent(type: type, seq: seq, numbers: &numbers, texts: &sink)
        id = sink.id
        return sink.hasEscapes ? nil : event
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
        let declaration = EventSchema.declaration(type)
        var at: Moment?, source: EventSource?, hasId = false, hasParticipant = false
        var data: CompactEvent?
        var ok = true
        var first = true
        while let k = key(first: first, ok: &ok) {
            first = false
            switch EnvelopeField(k) {
            case .id?: guard let t = token() else { return nil }; texts.text(.id, t); hasId = true
            case .type?: guard token() != nil else { return nil }
            case .participant?: guard token() != nil else { return nil }; hasParticipant = true
            case .at?:
                guard let t = token(), !t.hasEscapes,
                      let m = Moment(parsing: UnsafeRawBufferPointer(rebasing: bytes[t.start..<t.end]), text: "") else { return nil }
                texts.text(.at, t)
                at = m
            case .recorded?: guard let t = token(), !t.hasEscapes else { return nil }; texts.text(.recorded, t)
            case .source?: guard let s = enumValue(EventSource.self) else { return nil }; source = s
            case .by?: guard let t = token() else { return nil }; texts.text(.by, t)
            case .data?:
                let event = withUnsafeMutablePointer(to: &numbers) { numbers in
                    withUnsafeMutablePointer(to: &texts) { texts in
                        var sink = CompactDataSink(layout: declaration.layout, bytes: bytes, event: CompactEvent(seq: seq, type: type),
                                                   numbers: numbers, texts: texts)
                        return walkData(declaration, into: &sink) ? sink.event : nil
                    }
                }
                guard let event else { return nil }
                data = event
            default: return nil
            }
        }
        guard ok, i == bytes.count, hasId, let source, let at, var data, declaration.allows(participant: hasParticipant) else { return nil }
        data.place(at: at)
        data.source = source
        return data
    }

    /// An enum value and its token.
    mutating func namedValue<E: RawRepresentable & NamedCases>(_: E.Type) -> (value: E, token: JSONScanner.StringToken)? where E.RawValue == String {
        let start = i
        guard let value = enumValue(E.self) else { return nil }
        return (value, JSONScanner.StringToken(start: start + 1, end: i - 1, hasEscapes: bytes[start + 1..<i - 1].contains(0x5C)))
    }
}
