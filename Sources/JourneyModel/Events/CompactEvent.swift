import Foundation

/// What the projection rules read of one event, in a fixed-size value without references: its
/// position, type, "by time" key, institutions (as numbers of an `InstitutionNumbers`), the day
/// its data name, and its outcome or exit reason.
///
/// A full rebuild reads a million events; decoded into `Event`s, every one of them was a handful
/// of objects and strings made, reference-counted and freed (three quarters of the rebuild's
/// instructions). The rules of contract section 2 need none of the free texts, ids or scores, so
/// they run on these instead, and the few rows a command prints are read in full by their seq.
public struct CompactEvent: Sendable, Equatable {
    /// Log position.
    public var seq: UInt64
    public var type: EventType
    /// The date of `at` as written, in days since 1970-01-01.
    public var date: Int32
    /// `at`'s instant for a date-time (`timed`), for "by time" order.
    public var timed: Bool
    public var seconds: Int64
    public var nanoseconds: Int32
    /// The event's institution (`referral`: `to`), or `CompactEvent.none` (also a contact with
    /// an unnamed professional).
    public var institution: Int32
    /// `referral.from` or `expectation.cameVia` (which may be `self` or `network`), or `none`.
    public var counterpart: Int32
    /// `expectation.plannedFor`, `experience.contactOn`, or a contact's date; else `date`.
    public var day: Int32
    /// A referral's outcome.
    public var outcome: ReferralOutcome?
    /// A `participant.exited` event's reason.
    public var exitReason: ExitReason?
    /// Where the event came from.
    public var source: EventSource
    /// An expectation's `expectedFulfilment`.
    public var expectedFulfilment: Int8?
    /// A contact's professional group.
    public var professional: ProfessionalGroup?
    /// The rank of the event's id (as bytes) among the ids of the journey it belongs to: the last
    /// tie-break of "by time" and of pairing (contract 4.1), set when the journey is read
    /// (`CompactEvent.rankIds`).
    public var idRank: Int32

    /// No institution.
    public static let none: Int32 = -1

    /// An event of `type` at `at` with nothing else yet.
    public init(seq: UInt64, type: EventType, at: Moment) {
        self.init(seq: seq, type: type)
        place(at: at)
    }

    /// An event of `type` with nothing else yet, not placed in time.
    init(seq: UInt64, type: EventType) {
        self.seq = seq
        self.type = type
        date = 0
        timed = false
        seconds = 0
        nanoseconds = 0
        institution = Self.none
        counterpart = Self.none
        day = 0
        outcome = nil
        exitReason = nil
        source = .manual
        expectedFulfilment = nil
        professional = nil
        idRank = 0
    }

    /// Sets the "by time" key from `at`, and `day` where the data do not give it.
    mutating func place(at: Moment) {
        date = at.date.daysSinceEpoch
        timed = at.instant != nil
        seconds = at.instant?.seconds ?? 0
        nanoseconds = at.instant?.nanoseconds ?? 0
        if type != .expectation && type != .experience { day = date }
    }

    /// The compact form of a validated event, its institutions numbered in `numbers`.
    public init(seq: UInt64, event: Event, numbers: inout InstitutionNumbers) {
        self.init(seq: seq, type: event.type, at: event.at)
        source = event.source
        switch event.payload {
        case .contact(let c):
            institution = c.institution.map { numbers.number($0) } ?? Self.none
            professional = c.professional
        case .referral(let r):
            institution = numbers.number(r.to)
            counterpart = numbers.number(r.from)
            outcome = r.outcome
        case .expectation(let e):
            institution = numbers.number(e.institution)
            counterpart = e.cameVia.map { numbers.number($0) } ?? Self.none
            day = e.plannedFor.daysSinceEpoch
            expectedFulfilment = e.expectedFulfilment.map { Int8($0) }
        case .experience(let x):
            institution = numbers.number(x.institution)
            day = x.contactOn.daysSinceEpoch
        case .institutionCoded(let c), .institutionAgreed(let c):
            institution = numbers.number(c.institution)
        case .exited(let reason):
            exitReason = reason
        case .enrolled, .retracted, .session, .covariateDefined, .described, .statementDefined:
            break
        }
    }

    /// The date of `at` as written.
    public var calendarDate: CalendarDate { CalendarDate(daysSinceEpoch: date) }

    /// Its place in "by time" order (`ByTimeKey`).
    @inline(__always)
    public var byTimeKey: ByTimeKey { ByTimeKey(date: date, timed: timed, seconds: seconds, nanoseconds: nanoseconds, tie: Int64(idRank)) }

    /// True if `a` comes before `b` in "by time" order (`ByTimeKey`; ids by `idRank`).
    @inline(__always)
    public static func byTime(_ a: CompactEvent, _ b: CompactEvent) -> Bool { a.byTimeKey < b.byTimeKey }

    /// Sets every event's `idRank` from its id, `id(i)` giving event `i`'s id bytes.
    public static func rankIds(_ events: inout [CompactEvent], id: (Int) -> UnsafeRawBufferPointer) {
        func precedes(_ a: Int, _ b: Int) -> Bool { Self.bytesPrecede(id(a), id(b)) }
        // Ids mostly grow with the log: then the ranks are the positions, and nothing is sorted.
        var inOrder = true
        for i in events.indices.dropFirst() where !precedes(i - 1, i) {
            inOrder = false
            break
        }
        if inOrder {
            for i in events.indices { events[i].idRank = Int32(i) }
            return
        }
        var order = Array(events.indices)
        order.sort(by: precedes)
        for (rank, i) in order.enumerated() { events[i].idRank = Int32(rank) }
    }

    /// True if `x` comes before `y` in byte order: eight bytes at a time (ids are short, and a
    /// call to `memcmp` cost more than the comparison).
    @inline(__always)
    static func bytesPrecede(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer) -> Bool {
        let n = min(x.count, y.count)
        var i = 0
        while i + 8 <= n {
            let a = UInt64(bigEndian: x.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let b = UInt64(bigEndian: y.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            if a != b { return a < b }
            i += 8
        }
        while i < n {
            let a = x[i], b = y[i]
            if a != b { return a < b }
            i += 1
        }
        return x.count < y.count
    }

    /// `journey` sorted by time, ranking the ids first (`ids[i]`: event `i`'s id bytes as
    /// ranges of `bytes`); gives the order taken (indices of `journey` as given).
    public static func sortByTime(_ journey: inout [CompactEvent], ids: [Range<Int>], bytes: [UInt8]) -> [Int] {
        bytes.withUnsafeBytes { b in
            rankIds(&journey) { UnsafeRawBufferPointer(rebasing: b[ids[$0]]) }
        }
        let order = journey.indices.sorted { byTime(journey[$0], journey[$1]) }
        journey = order.map { journey[$0] }
        return order
    }
}

/// Numbers for institution ids (and the two referrer words), shared by the compact events of
/// many journeys: `self` is 0 and `network` 1, so an institution is a number of 2 or more.
public struct InstitutionNumbers: Sendable {
    private var numbering: StringNumbering

    /// Numbers with room for about `capacity` ids before the table grows.
    public init(capacity: Int = 16) {
        numbering = StringNumbering(capacity: capacity)
        _ = number(Referrer.selfInitiative)
        _ = number(Referrer.network)
    }

    /// The number of `id`, given the next one if it is new.
    public mutating func number(_ id: String) -> Int32 { keyed(numbering.number(id)) }

    /// The number of the id whose UTF-8 bytes are `bytes`; makes a String only for a new id.
    public mutating func number(bytes: UnsafeRawBufferPointer) -> Int32 {
        let n = bytes.count
        guard n >= 1 && n <= 16, let p = bytes.baseAddress else { return keyed(numbering.number(bytes: bytes)) }
        // An id of up to 16 bytes is exactly its length, its first eight bytes (zero-padded) and
        // its last eight: looked up by those in `recent` before it is hashed and compared.
        var head: UInt64 = 0, tail: UInt64 = 0
        if n >= 8 {
            head = p.loadUnaligned(as: UInt64.self)
            tail = p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        } else {
            for i in 0..<n { head |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << UInt64(8 * i) }
        }
        if recent.isEmpty { recent = [RecentId](repeating: RecentId(head: 0, tail: 0, count: 0, number: 0), count: 512) }
        let slot = Int(truncatingIfNeeded: ((head ^ tail &* 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9) >> 55)
        let entry = recent[slot]
        if entry.count == Int32(n) && entry.head == head && entry.tail == tail { return entry.number }
        let number = keyed(numbering.number(bytes: bytes))
        recent[slot] = RecentId(head: head, tail: tail, count: Int32(n), number: number)
        return number
    }

    /// A direct-mapped table of 512 ids numbered lately by their bytes (count 0: empty), made
    /// on the first such id (numbers made from Strings, one journey's at a time, need none).
    private var recent: [RecentId] = []

    private struct RecentId: Sendable {
        let head: UInt64
        let tail: UInt64
        let count: Int32
        let number: Int32
    }

    /// `n`, with its sort key made if it is new.
    @inline(__always)
    private mutating func keyed(_ n: Int) -> Int32 {
        if n == sortKeys.count {
            var key: UInt64 = 0
            for (i, b) in numbering.names[n].utf8.prefix(8).enumerated() { key |= UInt64(b) << UInt64(56 - 8 * i) }
            sortKeys.append(key)
        }
        return Int32(n)
    }

    /// Each id's first eight bytes as a big-endian word (zero-padded), by number: ids in byte
    /// order have their keys in numeric order, so most comparisons need no String.
    private var sortKeys: [UInt64] = []

    /// True if the id numbered `a` comes before the one numbered `b` in byte order.
    @inline(__always)
    public func precedes(_ a: Int32, _ b: Int32) -> Bool {
        let x = sortKeys[Int(a)], y = sortKeys[Int(b)]
        if x != y { return x < y }
        return a != b && numbering.names[Int(a)].utf8.lexicographicallyPrecedes(numbering.names[Int(b)].utf8)
    }

    /// The id numbered `number`.
    public func name(_ number: Int32) -> String { numbering.names[Int(number)] }

    /// True unless `number` stands for `self` or `network` (or for no institution).
    @inline(__always)
    public static func isInstitution(_ number: Int32) -> Bool { number >= 2 }

    /// How many ids have a number (the two referrer words included).
    public var count: Int { numbering.count }
}
