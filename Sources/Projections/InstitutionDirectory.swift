import JourneyModel

/// The coding of every coded institution (contract 4.1: its latest consensus, else its latest
/// coding), what follows from it, and each coder's current coding.
public struct InstitutionDirectory: Sendable {
    /// Coding by institution id.
    public var codings: [String: InstitutionCoding] = [:]
    /// Per institution, every non-retracted coding and consensus, by time (`codings.csv`).
    public private(set) var records: [String: [CodingRecord]] = [:]
    /// Per institution, each coder's current coding: their latest non-retracted
    /// `institution.coded`.
    public private(set) var coders: [String: [String: InstitutionCoding]] = [:]
    /// Institutions without a consensus whose coders' current codings differ (contract 4.1).
    public private(set) var disputed: Set<String> = []

    public init() {}

    /// The directory of `events`: every non-retracted `institution.coded` and
    /// `institution.agreed`, by time (ties by id).
    public init(codingEvents events: [LoggedEvent]) {
        for logged in events {
            let e = logged.event
            let coding: InstitutionCoding, consensus: Bool
            switch e.payload {
            case .institutionCoded(let c): (coding, consensus) = (c, false)
            case .institutionAgreed(let c): (coding, consensus) = (c, true)
            default: continue
            }
            records[coding.institution, default: []].append(CodingRecord(eventId: e.id, coder: e.by ?? "", at: e.at.text, consensus: consensus,
                                                                         coding: coding))
        }
        for (institution, list) in records {
            // By time, so the last of a kind is the latest.
            let current = list.lastIndex(where: \.consensus) ?? list.indices.last!
            records[institution]![current].current = true
            codings[institution] = list[current].coding
            var byCoder: [String: InstitutionCoding] = [:]
            for r in list where !r.consensus { byCoder[r.coder] = r.coding }
            coders[institution] = byCoder
            if !list.contains(where: \.consensus), Self.differ(Array(byCoder.values)) { disputed.insert(institution) }
        }
    }

    /// True if two of `codings` differ in categories or levels (as sets), or in kind where both
    /// give one.
    static func differ(_ codings: [InstitutionCoding]) -> Bool {
        for (i, a) in codings.enumerated() {
            for b in codings[(i + 1)...] {
                if Set(a.categories) != Set(b.categories) || Set(a.levels) != Set(b.levels) { return true }
                if let x = a.kind, let y = b.kind, x != y { return true }
            }
        }
        return false
    }

    /// The coders with a current coding of `institution`, in byte order.
    public func coders(of institution: String) -> [String] {
        (coders[institution]?.keys.map { $0 } ?? []).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// `legal`, `help`, `both` or `uncoded`.
    public func chain(of institution: String) -> String {
        guard let c = codings[institution] else { return "uncoded" }
        return Taxonomy.shared.chain(of: c.categories)
    }

    /// `national`, `regional`, `mixed` or `uncoded`.
    public func levelClass(of institution: String) -> String {
        Taxonomy.levelClass(of: codings[institution]?.levels ?? [])
    }

    /// The coded name, if any.
    public func name(of institution: String) -> String? { codings[institution]?.name }

    /// The institution's kind from its current coding, if the coder gave one (contract 4.2).
    public func kind(of institution: String) -> InstitutionKind? { codings[institution]?.kind }

    /// The institutions whose current coding gives `kind`.
    public func institutions(of kind: InstitutionKind) -> Set<String> { Set(codings.filter { $0.value.kind == kind }.keys) }

    /// Taxonomy codes, sorted.
    public func categories(of institution: String) -> [String] { (codings[institution]?.categories ?? []).sorted() }

    /// Levels, sorted.
    public func levels(of institution: String) -> [String] { (codings[institution]?.levels ?? []).map(\.rawValue).sorted() }
}
