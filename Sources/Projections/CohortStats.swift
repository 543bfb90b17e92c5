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

    /// The sample description (the study's results open with it).
    public let sample: Sample
    /// Shelters: asked, placed, refused and why.
    public let shelter: Shelter
    /// Refusals, dead ends and cycles over the cohort's referrals (contract 2.4).
    public let referralProblems: ReferralProblems

    /// The covariates of the codebook, the abuse reported at enrolment, and the children.
    public struct Sample: Sendable {
        /// One covariate over the participants counted.
        public struct Covariate: Sendable {
            public let definition: CovariateDefinition
            /// Participants with a value.
            public let n: Int
            /// For integer and number covariates.
            public let min: Double?
            public let max: Double?
            public let mean: Double?
            /// For category covariates, every code; for booleans, `true` and `false`.
            public let counts: [(String, Int)]
        }
        public let covariates: [Covariate]
        /// Participants reporting each kind of abuse at their latest enrolment (every kind).
        public let abuse: [(String, Int)]
        /// Participants with children with the (ex-)partner, without, and not known.
        public let children: (yes: Int, no: Int, unknown: Int)
    }

    /// Referrals to organisations of kind `shelter`.
    public struct Shelter: Sendable {
        /// Participants referred to a shelter, and their referrals there.
        public let askedParticipants: Int
        public let referrals: Int
        /// Participants placed: an accepted referral to, or a contact with, a shelter.
        public let placedParticipants: Int
        /// Refused referrals (refused, no capacity, not eligible), and their reasons as written
        /// (most frequent first; `not given` for none).
        public let refused: Int
        public let reasons: [(String, Int)]
    }

    /// The referral audit over the cohort.
    public struct ReferralProblems: Sendable {
        public let referrals: Int
        public let refused: Int
        public let refusedParticipants: Int
        public let deadEnds: Int
        public let deadEndParticipants: Int
        public let inCycle: Int
        public let cycleParticipants: Int
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
        private let codebook: Codebook
        private var covariateValues: [String: [CovariateValue]] = [:]
        private var abuse = [Int](repeating: 0, count: AbuseKind.allCases.count)
        private var children = (yes: 0, no: 0, unknown: 0)
        private var shelterAsked = 0, shelterReferrals = 0, shelterPlaced = 0, shelterRefused = 0
        private var shelterReasons: [String: Int] = [:]
        private var problems = (referrals: 0, refused: 0, refusedParticipants: 0, deadEnds: 0, deadEndParticipants: 0, inCycle: 0, cycleParticipants: 0)
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

        public init(directory: InstitutionDirectory, codebook: Codebook = Codebook()) {
            self.directory = directory
            self.codebook = codebook
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

        /// Counts one participant in every figure.
        public mutating func add(_ summary: ParticipantSummary) {
            add(summary.facts)
            add(pairedItems: summary.pairedItems)
            for (name, value) in summary.covariates { covariateValues[name, default: []].append(value) }
            if let enrolment = summary.enrolment {
                for kind in enrolment.abuse { abuse[AbuseKind.allCases.firstIndex(of: kind)!] += 1 }
                switch enrolment.childrenWithExPartner {
                case true?: children.yes += 1
                case false?: children.no += 1
                case nil: children.unknown += 1
                }
            } else {
                children.unknown += 1
            }
            problems.referrals += summary.referrals
            problems.refused += summary.refused
            problems.deadEnds += summary.deadEnds
            problems.inCycle += summary.inCycle
            if summary.refused > 0 { problems.refusedParticipants += 1 }
            if summary.deadEnds > 0 { problems.deadEndParticipants += 1 }
            if summary.inCycle > 0 { problems.cycleParticipants += 1 }
            var placed = summary.contactedShelter
            for r in summary.shelterReferrals {
                shelterReferrals += 1
                if r.outcome == .accepted { placed = true }
                if r.refused {
                    shelterRefused += 1
                    shelterReasons[r.reason.flatMap { $0.isEmpty ? nil : $0 } ?? "not given", default: 0] += 1
                }
            }
            if !summary.shelterReferrals.isEmpty { shelterAsked += 1 }
            if placed { shelterPlaced += 1 }
        }

        private func sample() -> Sample {
            let covariates = codebook.covariatesByName.map { c -> Sample.Covariate in
                let values = covariateValues[c.name] ?? []
                switch c.kind {
                case .integer, .number:
                    let numbers = values.compactMap { v -> Double? in if case .number(let t) = v { Double(t) } else { nil } }
                    return Sample.Covariate(definition: c, n: numbers.count, min: numbers.min(), max: numbers.max(),
                                            mean: numbers.isEmpty ? nil : Rounding.halfAwayFromZero(numbers.reduce(0, +) / Double(numbers.count)),
                                            counts: [])
                case .boolean:
                    let yes = values.filter { $0 == .bool(true) }.count
                    return Sample.Covariate(definition: c, n: values.count, min: nil, max: nil, mean: nil,
                                            counts: [("true", yes), ("false", values.count - yes)])
                case .category:
                    return Sample.Covariate(definition: c, n: values.count, min: nil, max: nil, mean: nil,
                                            counts: c.categories.map { code in (code.code, values.filter { $0 == .string(code.code) }.count) })
                case .text:
                    return Sample.Covariate(definition: c, n: values.count, min: nil, max: nil, mean: nil, counts: [])
                }
            }
            return Sample(covariates: covariates, abuse: AbuseKind.allCases.enumerated().map { ($1.rawValue, abuse[$0]) }, children: children)
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
                pairDeltaByItem: byItem.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { ($0.key, $0.value) },
                sample: sample(),
                shelter: Shelter(askedParticipants: shelterAsked, referrals: shelterReferrals, placedParticipants: shelterPlaced,
                                 refused: shelterRefused,
                                 reasons: shelterReasons.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }),
                referralProblems: ReferralProblems(referrals: problems.referrals, refused: problems.refused,
                                                   refusedParticipants: problems.refusedParticipants, deadEnds: problems.deadEnds,
                                                   deadEndParticipants: problems.deadEndParticipants, inCycle: problems.inCycle,
                                                   cycleParticipants: problems.cycleParticipants))
        }
    }

    /// `{"key": n, ...}` with the keys as JSON strings.
    private func named(_ pairs: [(String, Int)]) -> String {
        "{" + pairs.map { "\(JSONLine.quoted($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }

    private func sampleJSON() -> String {
        func dec(_ v: Double?) -> String { v.map { "\($0)" } ?? "null" }
        let covariates = sample.covariates.map { c in
            var members = [#""kind": "\#(c.definition.kind.rawValue)""#, #""n": \#(c.n)"#]
            switch c.definition.kind {
            case .integer, .number: members += [#""min": \#(dec(c.min))"#, #""max": \#(dec(c.max))"#, #""mean": \#(dec(c.mean))"#]
            case .boolean, .category: members.append(#""counts": \#(named(c.counts))"#)
            case .text: break
            }
            return "\(JSONLine.quoted(c.definition.name)): {" + members.joined(separator: ", ") + "}"
        }
        let children = sample.children
        return #"{"covariates": {\#(covariates.joined(separator: ", "))}, "abuse": \#(named(sample.abuse)), "childrenWithExPartner": {"yes": \#(children.yes), "no": \#(children.no), "unknown": \#(children.unknown)}}"#
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
              "pairDeltaByItem": {\(pairDeltaByItem.map { #"\#(JSONLine.quoted($0.item)): {"items": \#($0.deltas.items), "expected": \#(dec($0.deltas.expected)), "experienced": \#(dec($0.deltas.experienced)), "mean": \#(dec($0.deltas.mean))}"# }.joined(separator: ", "))},
              "concurrency": \(concurrency.map { #"{"max": \#($0.max), "mean": \#(dec($0.mean))}"# } ?? "null"),
              "sample": \(sampleJSON()),
              "shelter": {"askedParticipants": \(shelter.askedParticipants), "referrals": \(shelter.referrals), "placedParticipants": \(shelter.placedParticipants), "refused": \(shelter.refused), "reasons": \(named(shelter.reasons))},
              "referralProblems": {"referrals": \(referralProblems.referrals), "refused": \(referralProblems.refused), "refusedParticipants": \(referralProblems.refusedParticipants), "deadEnds": \(referralProblems.deadEnds), "deadEndParticipants": \(referralProblems.deadEndParticipants), "inCycle": \(referralProblems.inCycle), "cycleParticipants": \(referralProblems.cycleParticipants)}
            }

            """
    }
}

extension CohortStats {
    /// The statistics of `facts` (declared here, so the memberwise initializer `Tally` uses stays).
    public init(facts: [ParticipantFacts], directory: InstitutionDirectory) {
        var tally = Tally(directory: directory)
        for f in facts { tally.add(f) }
        self = tally.stats()
    }

    /// The statistics of `summaries`, the sample described by `codebook`'s covariates.
    public init(summaries: [ParticipantSummary], directory: InstitutionDirectory, codebook: Codebook) {
        var tally = Tally(directory: directory, codebook: codebook)
        for i in summaries.indices { tally.add(summaries[i]) }
        self = tally.stats()
    }
}
