import Foundation
import JourneyModel

/// What the importer needs of a valid event to index it and to check it against the log.
///
/// Slimmer than `Event` on purpose: the full event is made and freed on the parsing thread, and
/// the id travels as bytes in the chunk (`ParsedChunk.ids`), so no heap string crosses threads.
struct EventKeys: Sendable {
    /// The id's bytes in `ParsedChunk.ids`.
    let id: Range<Int>
    let participant: String?
    let type: EventType
    /// Institutions the event names (at most two), for the institution index.
    let institutions: (String?, String?)
    /// For `event.retracted`: the id of the retracted event.
    let retracts: String?

    init(_ event: Event, id: Range<Int>) {
        self.id = id
        participant = event.participant
        type = event.type
        institutions = event.payload.institutionPair
        if case .retracted(let r) = event.payload { retracts = r.event } else { retracts = nil }
    }
}

/// What the parsing thread could tell about an event's id before the importer sees it.
enum IdStatus: Sendable {
    /// Not in the committed log, and no earlier line of this file has it: append without lookups.
    case new
    /// In the committed log at this seq: a duplicate or a conflict, by content.
    case inLog(UInt64)
    /// An earlier line of this file may have it: the importer checks exactly.
    case maybeEarlierLine
}

/// One input line after parsing: its number and either the event's keys with its stored JSON,
/// or why it was rejected.
struct ParsedLine: Sendable {
    let number: Int
    let event: EventKeys?
    var status: IdStatus
    let error: String?

    /// True if the importer must look ids up in the log for this line (a possible repeat, or a
    /// retraction's target), rather than append it straight away.
    var needsExactLookup: Bool {
        if case .maybeEarlierLine = status { return true }
        return event?.retracts != nil
    }
    /// Range of the stored (compact) JSON in the chunk's `bytes`.
    let json: Range<Int>
}

/// A run of parsed lines and the bytes their JSON lives in.
struct ParsedChunk: Sendable {
    var lines: [ParsedLine] = []
    /// The stored JSON of every valid line.
    var bytes: [UInt8] = []
    /// The id of every valid line, as UTF-8.
    var ids: [UInt8] = []

    init(capacity: Int = 0) {
        lines.reserveCapacity(capacity)
        bytes.reserveCapacity(capacity * 300)
        ids.reserveCapacity(capacity * 24)
    }

    /// The id bytes of a line.
    func id(_ keys: EventKeys) -> ArraySlice<UInt8> { ids[keys.id] }
}

/// Parses a file on a second thread while the importer stores what was parsed before: reading,
/// validating and compacting lines overlap with hashing and LMDB writes. Chunks arrive in line
/// order with every id `.new`; the importer classifies them (`IdStatus`) on its own thread, as
/// parsing is the longest stage of an import. A few chunks are buffered at most.
final class ParsedLineStream: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [ParsedChunk] = []
    private var finished = false
    private var cancelled = false
    private var failure: (any Error)?
    private let capacity = 4
    /// Lines and bytes read so far by the parser (for progress).
    private(set) var progress: (lines: Int, bytes: Int) = (0, 0)
    /// The input's name for messages.
    let name: String

    /// Starts parsing `reader` on a new thread.
    init(reader: LineReader, linesPerChunk: Int = 2048) {
        name = reader.name
        let box = ReaderBox(reader)
        let thread = Thread { [self] in self.produce(box.reader, linesPerChunk) }
        thread.stackSize = 1 << 22
        thread.start()
    }

    /// The next chunk in order, or `nil` when the input is exhausted. Rethrows a read error.
    func next() throws -> ParsedChunk? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished { condition.wait() }
        if !ready.isEmpty {
            let chunk = ready.removeFirst()
            condition.broadcast()
            return chunk
        }
        if let failure { throw failure }
        return nil
    }

    /// Stops the parser early (the consumer failed); safe to call more than once.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    deinit { cancel() }

    private func produce(_ reader: LineReader, _ linesPerChunk: Int) {
        var chunk = ParsedChunk(capacity: linesPerChunk)
        do {
            while true {
                let more: Bool? = try reader.next { line, number in
                    if LineReader.isBlank(line) { return true }
                    let start = chunk.bytes.count
                    do {
                        let event = try EventParser.parseAndStore(line, into: &chunk.bytes, keepsText: false)
                        let idStart = chunk.ids.count
                        chunk.ids.append(contentsOf: event.id.utf8)
                        let keys = EventKeys(event, id: idStart..<chunk.ids.count)
                        chunk.lines.append(ParsedLine(number: number, event: keys, status: .new, error: nil, json: start..<chunk.bytes.count))
                    } catch {
                        chunk.bytes.removeSubrange(start...)
                        chunk.lines.append(ParsedLine(number: number, event: nil, status: .new, error: "\(error)", json: start..<start))
                    }
                    return true
                }
                if more == nil || chunk.lines.count >= linesPerChunk {
                    let progress = (reader.lineNumber, reader.bytesRead)
                    if !chunk.lines.isEmpty, !deliver(chunk, progress) { return }
                    chunk = ParsedChunk(capacity: linesPerChunk)
                }
                if more == nil { break }
            }
            end(nil)
        } catch {
            end(error)
        }
    }

    /// Hands a chunk over, waiting while the buffer is full; false if cancelled.
    private func deliver(_ chunk: ParsedChunk, _ progress: (Int, Int)) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while ready.count >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        ready.append(chunk)
        self.progress = progress
        condition.broadcast()
        return true
    }

    private func end(_ error: (any Error)?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }
}

/// Moves the reader to the parsing thread, which alone uses it from then on.
private final class ReaderBox: @unchecked Sendable {
    let reader: LineReader
    init(_ reader: LineReader) { self.reader = reader }
}
