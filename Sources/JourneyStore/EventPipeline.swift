import JourneyModel

/// The per-line work of an import without the store: parse and validate, compact, and build
/// the hash-chained record. The importer does exactly these steps; benchmarks use this to run
/// the same code in front of another storage engine.
public struct EventPipeline {
    private var previousHash = LogHead.empty.hash
    private let appendedMicros = Timestamp.nowMicros()
    private var scratch: [UInt8] = []

    public init() {}

    /// Validates one line and returns the event with its record for `seq`; `nil` for a blank
    /// line. Throws a `StoreError` naming the line. As in the importer, the event keeps its keys
    /// and leaves its texts empty (`EventParser.parse(keepsText:)`); the record holds them all.
    public mutating func process(_ line: UnsafeRawBufferPointer, seq: UInt64, number: Int) throws -> (Event, [UInt8])? {
        if LineReader.isBlank(line) { return nil }
        let event: Event
        do {
            scratch.removeAll(keepingCapacity: true)
            event = try EventParser.parseAndStore(line, into: &scratch, keepsText: false)
        } catch {
            throw StoreError("line \(number): \(error.message)")
        }
        var record: [UInt8] = []
        record.reserveCapacity(scratch.count + StorageLayout.headerSize)
        scratch.withUnsafeBytes { json in
            EventRecord.append(seq: seq, type: event.type, appendedMicros: appendedMicros, json: json,
                               chaining: &previousHash, into: &record)
        }
        return (event, record)
    }

    /// Calls `body` with each line of `path` and its number, streaming.
    public static func forEachLine(of path: String, _ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        let reader = try LineReader(path: path)
        while try reader.next(body) != nil {}
    }
}
