import JourneyModel

/// The texts a dump copies as written from a participant's events - ids, `at` values, timeline
/// details, statement items - as ranges of one byte buffer, one entry per event of the compact
/// journey they belong to (`ProjectionView.dumpJourney`). A dump renders its rows from these and
/// the compact events, without an `Event` per event.
public struct JourneyTexts: Sendable {
    /// The texts of every event (a record's whole JSON, or the texts of an event decoded in full).
    public private(set) var bytes: [UInt8] = []
    /// Per event, in the journey's order.
    public private(set) var events: [EventTexts] = []
    /// Every event's statement items: name ranges of `bytes`, and scores.
    public private(set) var items: [(item: Range<Int>, score: Int)] = []
    /// Every expectation's needs: ranges of `bytes`.
    public private(set) var needs: [Range<Int>] = []

    public init() {}

    /// The ranges of one event's texts.
    public struct EventTexts: Sendable {
        public let id: Range<Int>
        public let at: Range<Int>
        public let detail: Range<Int>?
        /// An experience's summary (narrative text, dumped only on request).
        public let summary: Range<Int>?
        /// A contact's role; the `reason` of a contact, referral or coding; a contact's mode and
        /// professional; a contact's or referral's `for`; the envelope's `by` and `recorded`.
        public let role: Range<Int>?
        public let reason: Range<Int>?
        public let mode: Range<Int>?
        public let professional: Range<Int>?
        public let forWhom: Range<Int>?
        public let by: Range<Int>?
        public let recorded: Range<Int>?
        /// The event's statement items: a range of `items`.
        public let items: Range<Int>
        /// The event's needs: a range of `needs`.
        public let needs: Range<Int>
    }

    /// Adds the texts of a record the compact decoder read (`texts` found in `json`).
    mutating func append(_ texts: RecordTexts, in json: UnsafeRawBufferPointer) {
        let base = bytes.count
        bytes.append(contentsOf: json)
        func moved(_ r: Range<Int>) -> Range<Int> { (r.lowerBound + base)..<(r.upperBound + base) }
        let first = items.count
        for (item, score) in texts.items { items.append((moved(item), score)) }
        let firstNeed = needs.count
        for need in texts.needs { needs.append(moved(need)) }
        events.append(EventTexts(id: moved(texts.id), at: moved(texts.at), detail: texts.detail.map(moved), summary: texts.summary.map(moved),
                                 role: texts.role.map(moved), reason: texts.reason.map(moved), mode: texts.mode.map(moved),
                                 professional: texts.professional.map(moved), forWhom: texts.forWhom.map(moved), by: texts.by.map(moved),
                                 recorded: texts.recorded.map(moved), items: first..<items.count, needs: firstNeed..<needs.count))
    }

    /// Adds the texts of an event decoded in full.
    mutating func append(_ event: Event) {
        func add(_ s: String) -> Range<Int> {
            let start = bytes.count
            bytes.append(contentsOf: s.utf8)
            return start..<bytes.count
        }
        let id = add(event.id), at = add(event.at.text), detail = event.detail.map(add)
        let first = items.count
        var summary: Range<Int>?, role: Range<Int>?, reason: Range<Int>?, mode: Range<Int>?, professional: Range<Int>?, forWhom: Range<Int>?
        switch event.payload {
        case .contact(let c):
            role = c.role.map(add)
            reason = c.reason.map(add)
            mode = c.mode.map { add($0.rawValue) }
            professional = c.professional.map { add($0.rawValue) }
            forWhom = c.forWhom.map { add($0.rawValue) }
        case .referral(let r):
            reason = r.reason.map(add)
            forWhom = r.forWhom.map { add($0.rawValue) }
        case .institutionCoded(let c), .institutionAgreed(let c): reason = c.reason.map(add)
        case .retracted(let r): reason = add(r.reason)
        default: break
        }
        let by = event.by.map(add), recorded = event.recorded.map(add)
        let firstNeed = needs.count
        switch event.payload {
        case .expectation(let e):
            for s in e.statements { items.append((add(s.item), s.score)) }
            for need in e.needs ?? [] { needs.append(add(need)) }
        case .experience(let x):
            for s in x.statements { items.append((add(s.item), s.score)) }
            summary = x.summary.map(add)
        default: break
        }
        events.append(EventTexts(id: id, at: at, detail: detail, summary: summary, role: role, reason: reason, mode: mode,
                                 professional: professional, forWhom: forWhom, by: by, recorded: recorded, items: first..<items.count,
                                 needs: firstNeed..<needs.count))
    }

    /// Puts the events in the order of `order` (indices of the current order).
    mutating func reorder(_ order: [Int]) {
        events = order.map { events[$0] }
    }

    /// The text of `range` as a String.
    public func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    /// Per statement item on both sides: expected (event `e`), experienced (event `x`) and their
    /// difference, by item in byte order - as `Pair.items` gives them.
    public func pairItems(expectation e: Int, experience x: Int, codebook: Codebook? = nil) -> [PairItem] {
        if let codebook, !codebook.itemOfAlias.isEmpty {
            // Items compared with their aliases resolved (contract 4.1).
            let experienced = Dictionary(items[events[x].items].map { (codebook.resolved(string($0.item)), $0.score) }, uniquingKeysWith: { a, _ in a })
            var seen: Set<String> = []
            return items[events[e].items].compactMap { item, expected -> PairItem? in
                let id = codebook.resolved(string(item))
                guard let score = experienced[id], seen.insert(id).inserted else { return nil }
                return PairItem(item: id, expected: expected, experienced: score)
            }.sorted { $0.item.utf8.lexicographicallyPrecedes($1.item.utf8) }
        }
        var out: [(Range<Int>, PairItem)] = []
        for (item, expected) in items[events[e].items] {
            if let (_, experienced) = items[events[x].items].first(where: { bytes[$0.item].elementsEqual(bytes[item]) }) {
                out.append((item, PairItem(item: string(item), expected: expected, experienced: experienced)))
            }
        }
        if out.count > 1 { out.sort { bytes[$0.0].lexicographicallyPrecedes(bytes[$1.0]) } }
        return out.map(\.1)
    }
}
