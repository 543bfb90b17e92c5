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

/// Parses a file on worker threads while the importer stores what was parsed before: reading,
/// validating and compacting lines overlap with hashing and LMDB writes. Chunks arrive in line
/// order with every id `.new`; the importer classifies them (`IdStatus`) on its own thread. As
/// parsing is the longest stage of an import, two threads parse: each takes the next run of
/// lines from the shared reader (copying them, under a lock), parses it, and hands it over in
/// turn. A few chunks are buffered at most.
final class ParsedLineStream: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [ParsedChunk] = []
    /// The index of the chunk to hand over next (chunks are numbered as they are read).
    private var nextToDeliver = 0
    /// Parsing threads still running.
    private var running: Int
    private var cancelled = false
    private var failure: (any Error)?
    private let capacity = 4
    /// Lines and bytes read so far by the parser (for progress).
    private(set) var progress: (lines: Int, bytes: Int) = (0, 0)
    /// The input's name for messages.
    let name: String

    /// Starts parsing `reader` on `parsers` new threads.
    init(reader: LineReader, linesPerChunk: Int = 2048, parsers: Int = 2) {
        name = reader.name
        running = parsers
        let shared = SharedReader(reader)
        for _ in 0..<parsers {
            let thread = Thread { [self] in self.produce(shared, linesPerChunk) }
            thread.stackSize = 1 << 22
            thread.start()
        }
    }

    /// The next chunk in order, or `nil` when the input is exhausted. Rethrows a read error.
    func next() throws -> ParsedChunk? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && running > 0 { condition.wait() }
        if !ready.isEmpty {
            let chunk = ready.removeFirst()
            condition.broadcast()
            return chunk
        }
        if let failure { throw failure }
        return nil
    }

    /// Stops the parsers early (the consumer failed); safe to call more than once.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    deinit { cancel() }

    private func produce(_ shared: SharedReader, _ linesPerChunk: Int) {
        var raw = RawLines()
        defer { parserEnded() }
        while true {
            let read: (index: Int, progress: (Int, Int))?
            do {
                read = try shared.read(into: &raw, lines: linesPerChunk)
            } catch {
                fail(error)
                return
            }
            guard let read else { return }
            var chunk = ParsedChunk(capacity: raw.lines.count)
            raw.bytes.withUnsafeBytes { all in
                for (range, number) in raw.lines {
                    let line = UnsafeRawBufferPointer(rebasing: all[range])
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
                }
            }
            if !deliver(chunk, index: read.index, progress: read.progress) { return }
        }
    }

    /// Hands chunk `index` over once every earlier one has been, waiting while the buffer is
    /// full; false if cancelled. (A chunk of blank lines only is passed over.)
    private func deliver(_ chunk: ParsedChunk, index: Int, progress: (Int, Int)) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while (index != nextToDeliver || ready.count >= capacity) && !cancelled { condition.wait() }
        if cancelled { return false }
        if !chunk.lines.isEmpty { ready.append(chunk) }
        nextToDeliver += 1
        self.progress = progress
        condition.broadcast()
        return true
    }

    /// Records a read error: no chunk follows the ones already read.
    private func fail(_ error: any Error) {
        condition.lock()
        if failure == nil { failure = error }
        condition.unlock()
    }

    private func parserEnded() {
        condition.lock()
        running -= 1
        condition.broadcast()
        condition.unlock()
    }
}

/// Lines copied out of the reader for one parsing thread: their bytes one after another, and
/// each line's range and number.
private struct RawLines {
    var bytes: [UInt8] = []
    var lines: [(range: Range<Int>, number: Int)] = []
}

/// The reader shared by the parsing threads: one at a time takes the next run of lines. (A
/// lock, not a `Mutex`: the line reader is not `Sendable`; it is only ever used under the lock.)
private final class SharedReader: @unchecked Sendable {
    private let reader: LineReader
    private let lock = NSLock()
    private var nextIndex = 0
    private var exhausted = false

    init(_ reader: LineReader) { self.reader = reader }

    /// Copies up to `count` lines into `raw` (blank lines left out: they yield nothing) and
    /// returns the run's index and the progress after it; `nil` when nothing is left. After a
    /// read error, nothing is left for anyone.
    func read(into raw: inout RawLines, lines count: Int) throws -> (index: Int, progress: (Int, Int))? {
        lock.lock()
        defer { lock.unlock() }
        guard !exhausted else { return nil }
        raw.bytes.removeAll(keepingCapacity: true)
        raw.lines.removeAll(keepingCapacity: true)
        var taken = 0
        do {
            while taken < count {
                let more: Bool? = try reader.next { line, number in
                    if !LineReader.isBlank(line) {
                        let start = raw.bytes.count
                        raw.bytes.append(contentsOf: line)
                        raw.lines.append((start..<raw.bytes.count, number))
                    }
                    return true
                }
                if more == nil {
                    exhausted = true
                    break
                }
                taken += 1
            }
        } catch {
            exhausted = true
            throw error
        }
        if taken == 0 && exhausted { return nil }
        defer { nextIndex += 1 }
        return (nextIndex, (reader.lineNumber, reader.bytesRead))
    }
}
