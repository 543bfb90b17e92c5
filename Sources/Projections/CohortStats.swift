import JourneyModel

/// The institution-count statistics of a cohort (contract 2.3, `stats.json`).
public struct CohortStats: Sendable {
    public struct PerParticipant: Sendable {
        public let min: Int?
        public let max: Int?
        /// Rounded half up to 2 decimals.
        public let mean: Double?
        /// The middle value, or the mean of the two middle values (not rounded).
        public let median: Double?
        /// Participants who mentioned at least 10 institutions.
        public let atLeast10: Int
    }

    public let participants: Int
    /// Institutions mentioned by at least one participant.
    public let institutions: Int
    public let perParticipant: PerParticipant
    /// Over mentioned institutions: `legal`, `help`, `both`, `uncoded`.
    public let byChain: [(String, Int)]
    /// Over mentioned institutions: `national`, `regional`, `mixed`, `uncoded`.
    public let byLevelClass: [(String, Int)]
    /// Mentioned institutions having each taxonomy code (every code listed).
    public let byCategory: [(String, Int)]
    /// Participants who mentioned at least one institution with each code (every code listed).
    public let participantsByCategory: [(String, Int)]
    /// Mentioned institutions of each kind (contract 4.2; every kind listed), and `uncoded` (no
    /// coding, or a coding without a kind): the counts sum to `institutions`.
    public let byKind: [(String, Int)]
    /// Participants who mentioned at least one institution of each kind (every kind listed).
    public let participantsByKind: [(String, Int)]
    /// Per professional group (contract 4.3, every group in order): participants with a
    /// contact naming it, such contacts, and those of them without an institution.
    public let professionals: [ProfessionalCount]
    /// The largest and the mean (2 decimals, half away from zero) `max_concurrent` over the
    /// participants counted; `nil` with none.
    public let concurrency: (max: Int, mean: Double)?
    /// Pair items (contract 4.4) grouped by the chain of the pair's institution: `legal`,
    /// `help`, `both`, `uncoded` -> rows and mean delta (`nil` with none).
    public let pairDeltaByChain: [(chain: String, deltas: DeltaSummary)]
    /// Pair items per statement item, by item (bytes).
    public let pairDeltaByItem: [(item: String, deltas: DeltaSummary)]


    /// Items of pairs: how many, and the means of expected, experienced and delta (2 decimals,
    /// half away from zero; `nil` with none).
    public struct DeltaSummary: Sendable {
        public var items = 0
        var expectedSum = 0, experiencedSum = 0
        public var mean: Double? { mean(experiencedSum - expectedSum) }
        public var expected: Double? { mean(expectedSum) }
        public var experienced: Double? { mean(experiencedSum) }
        private func mean(_ sum: Int) -> Double? { items == 0 ? nil : Rounding.halfAwayFromZero(Double(sum) / Double(items)) }

        mutating func add(_ item: PairItem) {
            items += 1
            expectedSum += item.expected
            experiencedSum += item.experienced
        }
    }

    /// One professional group's counts.
    public struct ProfessionalCount: Sendable {
        public let group: ProfessionalGroup
        public var participants = 0
        public var contacts = 0
        public var unnamedContacts = 0
    }

    /// The statistics gathered participant by participant (so a dump or a rebuild adds each one
    /// while the next are still being computed, instead of in a pass of its own at the end).
    public struct Tally: Sendable {
        private let directory: InstitutionDirectory
        private let codes = Taxonomy.shared.categories.map(\.code)
        /// Unique institutions named per participant.
        private var counts: [Int] = []
        /// Each institution named by anyone, with its categories as bits (computed once).
        private var bits: [String: UInt32] = [:]
        private var participantsPer: [Int]
        /// Each institution named by anyone: its kind's number in `InstitutionKind.allCases`, or
        /// -1 (computed once).
        private var kinds: [String: Int] = [:]
        private var participantsPerKind = [Int](repeating: 0, count: InstitutionKind.allCases.count)
        private var professionals = ProfessionalGroup.allCases.map { ProfessionalCount(group: $0) }
        private var concurrent: [Int] = []
        private var byChain: [String: DeltaSummary] = [:]
        private var byItem: [String: DeltaSummary] = [:]

        public init(directory: InstitutionDirectory) {
            self.directory = directory
            participantsPer = [Int](repeating: 0, count: Taxonomy.shared.categories.count)
        }

        /// Counts one participant.
        public mutating func add(_ facts: ParticipantFacts) {
            counts.append(facts.mentioned.count)
            var participantBits: UInt32 = 0
            for id in facts.mentioned { participantBits |= categoryBits(id) }
            for i in codes.indices where participantBits & (1 << UInt32(i)) != 0 { participantsPer[i] += 1 }
            var kindBits: UInt32 = 0
            for id in facts.mentioned {
                let k = kind(id)
                if k >= 0 { kindBits |= 1 << UInt32(k) }
            }
            for i in participantsPerKind.indices where kindBits & (1 << UInt32(i)) != 0 { participantsPerKind[i] += 1 }
            for p in facts.professionals {
                let i = ProfessionalGroup.allCases.firstIndex(of: p.group)!
                professionals[i].participants += 1
                professionals[i].contacts += p.contacts
                professionals[i].unnamedContacts += p.unnamed
            }
            concurrent.append(facts.maxConcurrent)
        }

        /// Counts one participant's pair items (`ParticipantProjection.pairedItems()`).
        public mutating func add(pairedItems: [(institution: String, item: PairItem)]) {
            for (institution, item) in pairedItems {
                byChain[directory.chain(of: institution), default: DeltaSummary()].add(item)
                byItem[item.item, default: DeltaSummary()].add(item)
            }
        }

        private mutating func kind(_ id: String) -> Int {
            if let known = kinds[id] { return known }
            let k = directory.kind(of: id).flatMap { InstitutionKind.allCases.firstIndex(of: $0) } ?? -1
            kinds[id] = k
            return k
        }

        private mutating func categoryBits(_ id: String) -> UInt32 {
            if let known = bits[id] { return known }
            var b: UInt32 = 0
            for (i, code) in codes.enumerated() where directory.codings[id]?.categories.contains(code) == true { b |= 1 << UInt32(i) }
            bits[id] = b
            return b
        }

        /// The statistics of the participants counted so far.
        public func stats() -> CohortStats {
            let counts = counts.sorted()
            let perParticipant: PerParticipant
            if counts.isEmpty {
                perParticipant = PerParticipant(min: nil, max: nil, mean: nil, median: nil, atLeast10: 0)
            } else {
                let n = counts.count
                let sum = counts.reduce(0, +)
                // Half up at two decimals, in integers: round(100 * sum / n).
                let hundredths = (200 * sum + n) / (2 * n)
                let median = n % 2 == 1 ? Double(counts[n / 2]) : Double(counts[n / 2 - 1] + counts[n / 2]) / 2
                perParticipant = PerParticipant(
                    min: counts.first, max: counts.last, mean: Double(hundredths) / 100, median: median,
                    atLeast10: counts.filter { $0 >= 10 }.count)
            }
            let mentioned = bits.keys
            let chains = ["legal", "help", "both", "uncoded"]
            let classes = ["national", "regional", "mixed", "uncoded"]
            var institutionsPer = [Int](repeating: 0, count: codes.count)
            for b in bits.values { for i in codes.indices where b & (1 << UInt32(i)) != 0 { institutionsPer[i] += 1 } }
            return CohortStats(
                participants: counts.count, institutions: bits.count, perParticipant: perParticipant,
                byChain: chains.map { chain in (chain, mentioned.filter { directory.chain(of: $0) == chain }.count) },
                byLevelClass: classes.map { c in (c, mentioned.filter { directory.levelClass(of: $0) == c }.count) },
                byCategory: codes.enumerated().map { ($1, institutionsPer[$0]) },
                participantsByCategory: codes.enumerated().map { ($1, participantsPer[$0]) },
                byKind: InstitutionKind.allCases.enumerated().map { i, kind in (kind.rawValue, kinds.values.filter { $0 == i }.count) }
                    + [("uncoded", kinds.values.filter { $0 < 0 }.count)],
                participantsByKind: InstitutionKind.allCases.enumerated().map { ($1.rawValue, participantsPerKind[$0]) },
                professionals: professionals,
                concurrency: concurrent.isEmpty ? nil
                    : (concurrent.max()!, Rounding.halfAwayFromZero(Double(concurrent.reduce(0, +)) / Double(concurrent.count))),
                pairDeltaByChain: ["legal", "help", "both", "uncoded"].map { ($0, byChain[$0] ?? DeltaSummary()) },
                pairDeltaByItem: byItem.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { ($0.key, $0.value) })
        }
    }

    /// `stats.json`: the contract's keys, in the contract's order.
    public func json() -> String {
        func num(_ v: Int?) -> String { v.map(String.init) ?? "null" }
        // Swift prints the shortest text that reads back as the same Double: 11.0, 10.5, 10.33.
        func dec(_ v: Double?) -> String { v.map { "\($0)" } ?? "null" }
        func object(_ pairs: [(String, Int)]) -> String {
            "{" + pairs.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
        }
        let p = perParticipant
        return """
            {
              "participants": \(participants),
              "institutions": \(institutions),
              "perParticipant": {"min": \(num(p.min)), "max": \(num(p.max)), "mean": \(dec(p.mean)), "median": \(dec(p.median)), "atLeast10": \(p.atLeast10)},
              "byChain": \(object(byChain)),
              "byLevelClass": \(object(byLevelClass)),
              "byCategory": \(object(byCategory)),
              "participantsByCategory": \(object(participantsByCategory)),
              "byKind": \(object(byKind)),
              "participantsByKind": \(object(participantsByKind)),
              "professionals": \(object(professionals.map { ($0.group.rawValue, $0.participants) })),
              "pairDeltaByChain": {\(pairDeltaByChain.map { #""\#($0.chain)": {"items": \#($0.deltas.items), "mean": \#(dec($0.deltas.mean))}"# }.joined(separator: ", "))},
              "pairDeltaByItem": {\(pairDeltaByItem.map { #"\#(jsonString($0.item)): {"items": \#($0.deltas.items), "expected": \#(dec($0.deltas.expected)), "experienced": \#(dec($0.deltas.experienced)), "mean": \#(dec($0.deltas.mean))}"# }.joined(separator: ", "))},
              "concurrency": \(concurrency.map { #"{"max": \#($0.max), "mean": \#(dec($0.mean))}"# } ?? "null")
            }

            """
    }
}

extension CohortStats {
    /// The statistics of `facts` (declared here, so the memberwise initializer `Tally` uses stays).
    public init(facts: [ParticipantFacts], directory: InstitutionDirectory, pairedItems: [(institution: String, item: PairItem)] = []) {
        var tally = Tally(directory: directory)
        for f in facts { tally.add(f) }
        tally.add(pairedItems: pairedItems)
        self = tally.stats()
    }
}

/// `s` as a JSON string.
private func jsonString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}
