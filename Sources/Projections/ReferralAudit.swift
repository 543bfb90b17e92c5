import JourneyModel

/// One audited referral (contract 2.4).
public struct AuditedReferral: Sendable {
    public let participant: String
    public let logged: LoggedEvent
    public let referral: Referral
    /// Outcome refused, no-capacity or not-eligible.
    public let refused: Bool
    /// Not refused, and no contact or experience with `to` within the follow-up window.
    public let deadEnd: Bool
    /// 1 + the deepest earlier referral that arrived where this one starts.
    public let chainDepth: Int
    /// `from` and `to` lie on one cycle of the participant's referral graph, or are equal.
    public let inCycle: Bool
}

/// One audited referral of a compact journey: the referral as its position in the journey.
public struct AuditRow: Sendable, Equatable {
    /// The referral's index in the journey.
    public let index: Int
    public let refused: Bool
    public let deadEnd: Bool
    public let chainDepth: Int
    public let inCycle: Bool
}

/// The referral audit: refusals, dead ends, chain depths and cycles (contract 2.4).
public enum ReferralAudit {
    /// Audits one participant's non-retracted referrals, in time order, on a compact journey
    /// (events by time). (`ParticipantProjection.referrals()` gives them with their events.)
    public static func rows(journey: [CompactEvent], followUpDays: Int) -> [AuditRow] {
        // One pass: the referrals, and where the participant actually got - (institution, day)
        // of contacts (their date) and experiences (their contactOn).
        var referrals: [Int] = []
        var visits: [(institution: Int32, day: Int32)] = []
        visits.reserveCapacity(journey.count)
        for (i, event) in journey.enumerated() {
            switch event.type {
            case .referral: referrals.append(i)
            case .contact, .experience: visits.append((event.institution, event.day))
            default: break
            }
        }
        guard !referrals.isEmpty else { return [] }
        let cyclic = cyclicReferrals(referrals.map { (journey[$0].counterpart, journey[$0].institution) })
        var depths: [Int] = []
        var out: [AuditRow] = []
        depths.reserveCapacity(referrals.count)
        out.reserveCapacity(referrals.count)
        for (k, index) in referrals.enumerated() {
            let r = journey[index]
            let refused = r.outcome?.isRefusal ?? false
            let start = r.date
            let followedUp = visits.contains { v in start <= v.day && Int(v.day) - Int(start) <= followUpDays && v.institution == r.institution }
            var depth = 1
            for j in 0..<k where journey[referrals[j]].institution == r.counterpart { depth = max(depth, depths[j] + 1) }
            depths.append(depth)
            out.append(AuditRow(index: index, refused: refused, deadEnd: !refused && !followedUp, chainDepth: depth,
                                inCycle: r.counterpart == r.institution || cyclic[k]))
        }
        return out
    }

    public struct Edge: Hashable, Sendable {
        let from: String
        let to: String
    }

    /// For each referral (from, to as `InstitutionNumbers`), whether both ends are institutions
    /// on one strongly connected component of two or more nodes of the referral graph (Tarjan's
    /// algorithm).
    public static func cyclicReferrals(_ ends: [(from: Int32, to: Int32)]) -> [Bool] {
        let none = [Bool](repeating: false, count: ends.count)
        // No cycle of two or more nodes without an institution that is both referred to and
        // referring onwards: the common case, answered without building the graph.
        let onward = ends.filter { InstitutionNumbers.isInstitution($0.from) && $0.from != $0.to }
        if onward.count <= 32 {
            guard onward.contains(where: { e in onward.contains { $0.from == e.to } }) else { return none }
        } else {
            let sources = Set(onward.map(\.from))
            guard onward.contains(where: { sources.contains($0.to) }) else { return none }
        }
        // Nodes numbered 0..<n in the order of their numbers, so Tarjan's walk runs on arrays.
        var ids: [Int32] = []
        ids.reserveCapacity(2 * ends.count)
        for e in ends where InstitutionNumbers.isInstitution(e.from) { ids.append(e.from); ids.append(e.to) }
        ids.sort()
        var unique: [Int32] = []
        for id in ids where unique.last != id { unique.append(id) }
        func node(_ id: Int32) -> Int {
            var low = 0, high = unique.count
            while low < high {
                let mid = (low + high) / 2
                if unique[mid] < id { low = mid + 1 } else { high = mid }
            }
            return low
        }
        var graph = StronglyConnected(nodes: unique.count,
                                      edges: ends.filter { InstitutionNumbers.isInstitution($0.from) }.map { (node($0.from), node($0.to)) })
        for v in 0..<unique.count where graph.indices[v] < 0 { graph.connect(v) }
        let component = graph.component, componentSize = graph.componentSize

        return ends.map { e in
            guard InstitutionNumbers.isInstitution(e.from) else { return false }
            let c = component[node(e.from)]
            return c == component[node(e.to)] && componentSize[c] >= 2
        }
    }
}

/// One edge of the institution referral network, over all participants.
public struct NetworkEdge: Sendable {
    public let from: String
    public let to: String
    public var referrals = 0
    public var refused = 0
    /// Distinct participants with a referral along the edge.
    public private(set) var participants = 0
    /// The participant counted last: referrals come grouped by participant.
    private var lastParticipant: String?

    init(from: String, to: String) {
        self.from = from
        self.to = to
    }

    mutating func add(_ referral: ReferralEdge) {
        referrals += 1
        if referral.refused { refused += 1 }
        if referral.participant != lastParticipant {
            participants += 1
            lastParticipant = referral.participant
        }
    }
}

/// What the network needs of one audited referral.
public struct ReferralEdge: Sendable {
    public let participant: String
    public let from: String
    public let to: String
    public let refused: Bool

    public init(participant: String, from: String, to: String, refused: Bool) {
        self.participant = participant
        self.from = from
        self.to = to
        self.refused = refused
    }

    /// The referral network: per (from, to), referrals, refusals and distinct participants,
    /// sorted by from, then to. Each participant's referrals come together (participant order).
    public static func network(_ referrals: [ReferralEdge]) -> [NetworkEdge] {
        var network = ReferralNetwork()
        for a in referrals { network.add(a) }
        return network.edges
    }
}

/// The institution referral network built up edge by edge (so a dump can add each
/// participant's referrals while the next participants are still being computed). Each
/// participant's referrals are added together, one participant after another.
public struct ReferralNetwork: Sendable {
    private var byEdge: [ReferralAudit.Edge: NetworkEdge] = [:]

    public init() {}

    /// Counts one referral.
    public mutating func add(_ referral: ReferralEdge) {
        let key = ReferralAudit.Edge(from: referral.from, to: referral.to)
        // Mutated in place: a copy out of the dictionary would copy the participant set.
        byEdge[key, default: NetworkEdge(from: key.from, to: key.to)].add(referral)
    }

    /// Every edge, by from and then to (byte order: ids are ASCII, so `<` is byte order).
    public var edges: [NetworkEdge] {
        byEdge.values.sorted { a, b in a.from != b.from ? a.from < b.from : a.to < b.to }
    }
}

extension ReferralAudit {
    /// The referral network of audited referrals.
    public static func network(_ audited: [AuditedReferral]) -> [NetworkEdge] {
        ReferralEdge.network(audited.map { ReferralEdge(participant: $0.participant, from: $0.referral.from, to: $0.referral.to, refused: $0.refused) })
    }
}

/// Tarjan's strongly connected components of a small graph given as edges, on flat arrays.
private struct StronglyConnected {
    /// Each node's successors: `targets[offsets[v]..<offsets[v + 1]]`.
    private var offsets: [Int]
    private var targets: [Int]
    private var index = 0
    /// Per node: its visiting index (-1 unvisited), its lowlink, and whether it is on the stack.
    var indices: [Int]
    private var lowlink: [Int]
    private var onStack: [Bool]
    private var stack: [Int] = []
    /// Per node, its component; per component, its size.
    var component: [Int]
    var componentSize: [Int] = []

    init(nodes: Int, edges: [(Int, Int)]) {
        offsets = [Int](repeating: 0, count: nodes + 1)
        for (from, _) in edges { offsets[from + 1] += 1 }
        for v in 0..<nodes { offsets[v + 1] += offsets[v] }
        targets = [Int](repeating: 0, count: edges.count)
        var next = offsets
        for (from, to) in edges {
            targets[next[from]] = to
            next[from] += 1
        }
        indices = [Int](repeating: -1, count: nodes)
        lowlink = [Int](repeating: 0, count: nodes)
        onStack = [Bool](repeating: false, count: nodes)
        component = [Int](repeating: -1, count: nodes)
    }

    /// Visits `v` and everything reachable from it that is not yet visited.
    mutating func connect(_ v: Int) {
        indices[v] = index
        lowlink[v] = index
        index += 1
        stack.append(v)
        onStack[v] = true
        for k in offsets[v]..<offsets[v + 1] {
            let w = targets[k]
            if indices[w] < 0 {
                connect(w)
                lowlink[v] = min(lowlink[v], lowlink[w])
            } else if onStack[w] {
                lowlink[v] = min(lowlink[v], indices[w])
            }
        }
        if lowlink[v] == indices[v] {
            var size = 0
            while let w = stack.popLast() {
                onStack[w] = false
                component[w] = componentSize.count
                size += 1
                if w == v { break }
            }
            componentSize.append(size)
        }
    }
}
