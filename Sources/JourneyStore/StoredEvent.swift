import JourneyModel

/// One record of the log as stored: its position, transaction time, hash and JSON.
public struct StoredEvent: Sendable {
    /// Log position (1, 2, 3, ...).
    public let seq: UInt64
    /// The event type from the record header.
    public let type: EventType
    /// Transaction time, microseconds since the Unix epoch (UTC).
    public let appendedMicros: Int64
    /// The chained SHA-256 of this record.
    public let hash: [UInt8]
    /// The event as imported: compact JSON without `null` members or store fields (empty when
    /// `isForgotten`).
    public let json: [UInt8]
    /// True if the event belongs to a participant removed by `journey forget`: its content was
    /// sealed under a key that no longer exists and can never be read again.
    public let isForgotten: Bool
    /// The participant named in the clear header of a sealed record.
    let sealedParticipant: String?

    init(seq: UInt64, type: EventType, appendedMicros: Int64, hash: [UInt8], json: [UInt8],
         isForgotten: Bool = false, sealedParticipant: String? = nil) {
        self.seq = seq
        self.type = type
        self.appendedMicros = appendedMicros
        self.hash = hash
        self.json = json
        self.isForgotten = isForgotten
        self.sealedParticipant = sealedParticipant
    }

    /// The validated event.
    public func event() throws -> Event {
        guard !isForgotten else { throw StoreError("event \(seq) belongs to a forgotten participant; its content is gone") }
        return try EventParser.parse(json)
    }

    /// The export line: the stored JSON with `seq`, `appended` and `hash` added at the end.
    public func exportLine(into out: inout [UInt8]) {
        out.append(contentsOf: json.dropLast())
        out.append(contentsOf: #","seq":"#.utf8)
        out.append(contentsOf: String(seq).utf8)
        out.append(contentsOf: #","appended":""#.utf8)
        out.append(contentsOf: Timestamp.rfc3339(micros: appendedMicros).utf8)
        out.append(contentsOf: #"","hash":""#.utf8)
        out.append(contentsOf: Hex.encode(hash).utf8)
        out.append(contentsOf: "\"}\n".utf8)
    }
}

/// Encoding and decoding of event records (see `Schemas/STORAGE.md`).
enum EventRecord {
    /// Builds a record: header (version, type, zero padding, appended, hash) then JSON, with the
    /// hash chained from `previousHash`. Appends it to `out` and returns the new hash.
    static func append(
        seq: UInt64, type: EventType, appendedMicros: Int64, json: UnsafeRawBufferPointer,
        previousHash: [UInt8], into out: inout [UInt8]
    ) -> [UInt8] {
        var hash = previousHash
        append(seq: seq, type: type, appendedMicros: appendedMicros, json: json, chaining: &hash, into: &out)
        return hash
    }

    /// A header's worth of zero bytes, filled in place (one copy instead of an append per field).
    private static let blankHeader = [UInt8](repeating: 0, count: StorageLayout.headerSize)

    /// As above, chaining from and into `previousHash` in place.
    static func append(
        seq: UInt64, type: EventType, appendedMicros: Int64, json: UnsafeRawBufferPointer,
        chaining previousHash: inout [UInt8], into out: inout [UInt8]
    ) {
        let start = out.count
        out.append(contentsOf: blankHeader)
        out.append(contentsOf: json)
        out.withUnsafeMutableBytes { all in
            all[start] = StorageLayout.recordVersion
            all[start + 1] = type.rawValue
            withUnsafeBytes(of: UInt64(bitPattern: appendedMicros).bigEndian) { (all.baseAddress! + start + 8).copyMemory(from: $0.baseAddress!, byteCount: 8) }
        }
        HashChain.fill(&out, recordAt: start, chaining: &previousHash, seq: seq)
    }

    /// The JSON part of a record, without copying.
    @inline(__always)
    static func json(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[StorageLayout.headerSize...])
    }
}
