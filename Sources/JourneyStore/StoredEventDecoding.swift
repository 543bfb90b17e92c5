import JourneyModel

extension StoredEventDecoder {
    /// The event of the record at `seq` (header type code `type`, content `json`), decoded on
    /// the fast path or, failing that, by the strict parser; a record neither reads is reported
    /// as damaged.
    package func decode(seq: UInt64, type: UInt8, _ json: UnsafeRawBufferPointer) throws -> Event {
        if let t = EventType(rawValue: type), let event = decode(json, type: t) { return event }
        do { return try EventParser.parse(json) } catch {
            throw StoreError("record \(seq) does not parse (run journey verify): \(error)")
        }
    }
}
