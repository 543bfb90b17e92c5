import JourneyModel
import JourneyStore

/// The log and the projection state as of one log position, inside one read snapshot: events
/// after `upto` and retractions made after `upto` do not exist here.
public struct ProjectionView: ~Copyable {
    let state: ProjectionState
    let snapshot: StoreSnapshot
    /// The log position this view reflects.
    public let upto: UInt64
    /// Retracted seq -> retracting seq, for retractions made by `upto` (read once: retractions
    /// are few next to events).
    /// Retracted seq -> the seq of its retraction, loaded whole for a whole-cohort view (one
    /// with a record table); `nil` in a view of a few journeys, which looks each event up.
    private let retracted: [UInt64: UInt64]?
    /// Decodes the stored events this view reads (one view belongs to one thread); lent by the
    /// state's pool for the view's life.
    private let decoder: StoredEventDecoder
    /// Numbers the institutions of the compact journeys this view reads, and opens their
    /// records (sealed groups, data keys) from one journey to the next.
    private let scratch: ViewScratch

    /// The records up to at least `upto`, when the caller listed them (`ParallelCohort`).
    private let records: RecordTable?

    init(state: ProjectionState, snapshot: borrowing StoreSnapshot, upto: UInt64, records: RecordTable? = nil) throws {
        self.state = state
        self.snapshot = snapshot.sharedHandle()
        self.upto = upto
        self.records = records.flatMap { $0.upto >= upto ? $0 : nil }
        decoder = state.decoders.take()
        scratch = ViewScratch(store: snapshot.store, records: self.records)
        var retracted: [UInt64: UInt64]?
        if self.records != nil { retracted = try snapshot.retractions(upto: upto, in: state.indexes) }
        self.retracted = retracted
    }

    deinit { state.decoders.giveBack(decoder) }

    /// The seq of the retraction of event `seq`, if it was retracted by `upto`.
    public func retraction(of seq: UInt64) throws -> UInt64? {
        if let retracted { return retracted[seq] }
        return try snapshot.retraction(of: seq, upto: upto, in: state.indexes)
    }

    /// Every participant with an event at or before `upto`, in byte order.
    public func participants() throws -> [String] { try snapshot.participants(upto: upto) }

    /// True if `participant` has an event at or before `upto` (a seek, not a scan).
    public func hasParticipant(_ participant: String) throws -> Bool { try snapshot.hasParticipant(participant, upto: upto) }

    /// One participant's non-retracted events (retractions themselves left out), by time.
    /// Events of a participant removed by `journey forget` cannot be read and are left out.
    public func journey(of participant: String, recordedBy: Moment.Instant? = nil) throws -> [LoggedEvent] {
        // The object is made where the event is decoded: handing the event out through the
        // closures copied it at every level.
        let events = try readJourney(of: participant, recordedBy: recordedBy) { seq, type, json in
            LoggedEvent(seq: seq, event: try decoder.decode(seq: seq, type: type, json))
        }
        return LoggedEvent.sortedByTime(events)
    }

    /// `journey(of:)` in compact form, its institutions numbered in `institutionNumbers`: what
    /// the rules of the projections read, without an object or a String per event.
    public func compactJourney(of participant: String, recordedBy: Moment.Instant? = nil) throws -> [CompactEvent] {
        // The ids' buffers are the view's, kept from one journey to the next.
        var ids = scratch.ids, bytes = scratch.idBytes
        scratch.ids = []
        scratch.idBytes = []
        ids.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        defer {
            scratch.ids = ids
            scratch.idBytes = bytes
        }
        var events = try readJourney(of: participant, recordedBy: recordedBy) { seq, type, json in
            var id = 0..<0
            let event: CompactEvent
            if let t = EventType(rawValue: type),
               let compact = decoder.decodeCompact(json, type: t, seq: seq, numbers: &scratch.numbers, id: &id) {
                event = compact
                ids.append(bytes.count..<(bytes.count + id.count))
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: json[id]))
            } else {
                let full = try decoder.decode(seq: seq, type: type, json)
                ids.append(bytes.count..<(bytes.count + full.id.utf8.count))
                bytes.append(contentsOf: full.id.utf8)
                event = CompactEvent(seq: seq, event: full, numbers: &scratch.numbers)
            }
            return event
        }
        bytes.withUnsafeBytes { b in CompactEvent.rankIds(&events) { UnsafeRawBufferPointer(rebasing: b[ids[$0]]) } }
        events.sort(by: CompactEvent.byTime)
        return events
    }

    /// A journey as a dump renders it: the compact journey (by time), the texts its rows copy
    /// as written (one entry per compact event), and in full the events a compact form cannot
    /// render (questionnaire sessions for the compliance table, enrolments and descriptions for
    /// the participants table: `ProjectionView.inFull`), by time. A record in another
    /// form than the compact decoder reads, or with texts written with escapes, is decoded in
    /// full (`decodingInFull`: every record, for tests).
    public func dumpJourney(of participant: String, decodingInFull: Bool = false, recordedBy: Moment.Instant? = nil) throws
        -> (compact: [CompactEvent], texts: JourneyTexts, inFull: [LoggedEvent]) {
        var texts = JourneyTexts()
        var inFull: [LoggedEvent] = []
        var found = RecordTexts()
        let events = try readJourney(of: participant, recordedBy: recordedBy) { seq, type, json -> CompactEvent in
            if !decodingInFull, let t = EventType(rawValue: type), !Self.inFull.contains(t),
               let compact = decoder.decodeCompact(json, type: t, seq: seq, numbers: &scratch.numbers, texts: &found),
               !found.hasEscapes {
                texts.append(found, in: json)
                return compact
            }
            let event = try decoder.decode(seq: seq, type: type, json)
            if Self.inFull.contains(event.type) { inFull.append(LoggedEvent(seq: seq, event: event)) }
            texts.append(event)
            return CompactEvent(seq: seq, event: event, numbers: &scratch.numbers)
        }
        var journey = events
        let order = CompactEvent.sortByTime(&journey, ids: texts.events.map(\.id), bytes: texts.bytes)
        texts.reorder(order)
        return (journey, texts, LoggedEvent.sortedByTime(inFull))
    }

    /// The types a dump reads in full (`dumpJourney`).
    static let inFull: Set<EventType> = [.esmSession, .participantEnrolled, .participantDescribed]

    /// True if `participant` has an event recorded by `recordedBy` (contract 4.4: the
    /// participants of a `--recorded-by` projection).
    public func hasEvent(of participant: String, recordedBy: Moment.Instant) throws -> Bool {
        try snapshot.seqs(ofParticipant: participant, upto: upto).contains { try recorded(seq: $0) <= RecordedTime(recordedBy) }
    }

    /// When the event at `seq` was recorded: its `recorded`, else when it was appended - as
    /// seconds and nanoseconds since the epoch.
    private func recorded(seq: UInt64) throws -> RecordedTime {
        guard let stored = try snapshot.event(at: seq) else { throw StoreError("record \(seq) is missing (run journey verify)") }
        if !stored.isForgotten,
           let text = try stored.json.withUnsafeBytes({ try decoder.decode(seq: seq, type: stored.type.rawValue, $0) }).recorded,
           let instant = Moment(text)?.instant {
            return RecordedTime(seconds: instant.seconds, nanoseconds: instant.nanoseconds)
        }
        let micros = stored.appendedMicros
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        return RecordedTime(seconds: seconds, nanoseconds: Int32(micros - seconds * 1_000_000) * 1000)
    }

    /// The numbers of the institutions in the compact journeys this view has read.
    public var institutionNumbers: InstitutionNumbers { scratch.numbers }

    /// `read` applied to the content of each of the participant's non-retracted events other
    /// than retractions, in log order; a forgotten participant's events are left out. With
    /// `recordedBy`, only events recorded (else appended) by then, and only retractions
    /// recorded by then (contract 4.4).
    private func readJourney<T>(of participant: String, recordedBy: Moment.Instant? = nil,
                                _ read: (UInt64, UInt8, UnsafeRawBufferPointer) throws -> T) throws -> [T] {
        var out: [T] = []
        func kept(_ seq: UInt64) throws -> Bool {
            if let recordedBy, try recorded(seq: seq) > RecordedTime(recordedBy) { return false }
            if let retracting = try retraction(of: seq), try recordedBy.map({ try recorded(seq: retracting) <= RecordedTime($0) }) ?? true { return false }
            return true
        }
        // A single journey (not a whole-cohort run, which has its record table) reads what
        // `journey cluster` copied together with one seek, and only later events by seq.
        let clustered = records == nil ? min(try snapshot.clusteredUpto(), upto) : 0
        if clustered > 0 {
            try snapshot.forEachClusteredRecord(of: participant, upto: clustered) { seq, record in
                guard try kept(seq) else { return }
                var value: T?
                if try scratch.reader.content(of: seq, record: record, in: snapshot, { type, json in value = try read(seq, type, json) }),
                   let value { out.append(value) }
            }
        }
        let seqs = try snapshot.seqs(ofParticipant: participant, after: clustered, upto: upto)
        out.reserveCapacity(out.count + seqs.count)
        for seq in seqs where try kept(seq) {
            var value: T?
            if try scratch.reader.content(of: seq, in: snapshot, { type, json in value = try read(seq, type, json) }), let value { out.append(value) }
        }
        return out
    }

    /// The codebook as of `upto` (contract 4.1): the definitions in log order, the latest of
    /// each in force. Definitions cannot be retracted.
    public func codebook() throws -> Codebook {
        var codebook = Codebook()
        for seq in try snapshot.definitionSeqs(upto: upto) {
            guard let stored = try snapshot.event(at: seq) else { throw StoreError("record \(seq), a codebook definition, is missing (run journey verify)") }
            codebook.apply(try stored.json.withUnsafeBytes { try decoder.decode(seq: seq, type: stored.type.rawValue, $0) }.payload)
        }
        return codebook
    }

    /// Every institution's coding as of `upto` (contract 4.1): its latest (by time) non-retracted
    /// `institution.agreed`, else its latest non-retracted `institution.coded`; with each
    /// coder's current coding and the disputes.
    public func codings() throws -> InstitutionDirectory {
        var events: [LoggedEvent] = []
        var reader = RecordReader(store: snapshot.store)
        // The index key names the institution (blinded in an encrypted store); the coding's own
        // data names it in the clear.
        for (_, seq) in try snapshot.codingSeqs(upto: upto, in: state.indexes) {
            guard try retraction(of: seq) == nil else { continue }
            var decoded: Event?
            guard try reader.content(of: seq, in: snapshot, { type, json in decoded = try decoder.decode(seq: seq, type: type, json) }),
                  let event = decoded else {
                throw StoreError("record \(seq), an institution coding, cannot be read")
            }
            events.append(LoggedEvent(seq: seq, event: event))
        }
        return InstitutionDirectory(codingEvents: LoggedEvent.sortedByTime(events))
    }
}

/// What one view keeps from one journey to the next.
///
/// One view belongs to one thread, and its methods never hand out an access to one of these
/// while another is under way: exclusivity is not checked at run time (the checks cost about
/// 500 instructions an event, for an `inout` access to each per record read).
private final class ViewScratch {
    @exclusivity(unchecked) var numbers = InstitutionNumbers()
    /// Keeps only the group opened last: a journey visits each group's records one after another.
    @exclusivity(unchecked) var reader: RecordReader
    /// The ids of the journey being read (`compactJourney`), as ranges of `idBytes`.
    @exclusivity(unchecked) var ids: [Range<Int>] = []
    @exclusivity(unchecked) var idBytes: [UInt8] = []

    init(store: EventStore, records: RecordTable?) {
        reader = RecordReader(store: store, cacheLimit: 0, records: records)
    }
}

/// An instant as seconds and nanoseconds since the epoch (`--recorded-by`).
private struct RecordedTime: Comparable {
    let seconds: Int64
    let nanoseconds: Int32

    init(seconds: Int64, nanoseconds: Int32) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    init(_ instant: Moment.Instant) { self.init(seconds: instant.seconds, nanoseconds: instant.nanoseconds) }

    static func < (a: RecordedTime, b: RecordedTime) -> Bool { (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds) }
}
