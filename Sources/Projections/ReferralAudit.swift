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

/// The referral audit: refusals, dead ends, chain depths and cycles (contract 2.4).
public enum ReferralAudit {
    /// Audits one participant's non-retracted referrals (journey by time), in time order.
    public static func audit(participant: String, journey: [LoggedEvent], followUpDays: Int) -> [AuditedReferral] {
        // One pass: the referrals, and where the participant actually got - (institution, date)
        // of contacts and experiences.
        var referrals: [(LoggedEvent, Referral)] = []
        var visits: [(String, CalendarDate)] = []
        visits.reserveCapacity(journey.count)
        for logged in journey {
            switch logged.event.payload {
            case .referral(let r): referrals.append((logged, r))
            case .contact(let c): visits.append((c.institution, logged.event.date))
            case .experience(let x): visits.append((x.institution, x.contactOn))
            default: break
            }
        }
        guard !referrals.isEmpty else { return [] }
        let cyclic = cyclicEdges(referrals.map(\.1))
        var depths: [Int] = []
        var out: [AuditedReferral] = []
        depths.reserveCapacity(referrals.count)
        out.reserveCapacity(referrals.count)
        for (i, (logged, r)) in referrals.enumerated() {
            let refused = r.outcome.isRefusal
            let start = logged.event.date
            // Dates first: most visits fall outside the window, and comparing them is cheaper.
            let followedUp = visits.contains { v in start <= v.1 && start.days(to: v.1) <= followUpDays && v.0 == r.to }
            var depth = 1
            for j in 0..<i where referrals[j].1.to == r.from { depth = max(depth, depths[j] + 1) }
            depths.append(depth)
            let inCycle = r.from == r.to || (!cyclic.isEmpty && cyclic.contains(Edge(from: r.from, to: r.to)))
            out.append(AuditedReferral(participant: participant, logged: logged, referral: r, refused: refused,
                                       deadEnd: !refused && !followedUp, chainDepth: depth, inCycle: inCycle))
        }
        return out
    }

    public struct Edge: Hashable, Sendable {
        let from: String
        let to: String
    }

    /// Edges between institutions whose ends share a strongly connected component of two or
    /// more nodes (Tarjan's algorithm over the participant's referral graph).
    static func cyclicEdges(_ referrals: [Referral]) -> Set<Edge> {
        // No cycle of two or more nodes without an institution that is both referred to and
        // referring onwards: the common case, answered without building the graph.
        var sources = StringNumbering()
        for r in referrals where Referrer.isInstitution(r.from) && r.from != r.to { sources.number(r.from) }
        guard referrals.contains(where: { $0.from != $0.to && sources.contains($0.to) }) else { return [] }
        // Nodes as numbers, so Tarjan's walk runs on arrays.
        var nodes = StringNumbering()
        var ends: [(from: Int, to: Int)] = []
        for r in referrals where Referrer.isInstitution(r.from) { ends.append((nodes.number(r.from), nodes.number(r.to))) }
        let names = nodes.names
        var adjacency = [[Int]](repeating: [], count: names.count)
        for e in ends { adjacency[e.from].append(e.to) }

        var index = 0
        var indices = [Int](repeating: -1, count: names.count), lowlink = [Int](repeating: 0, count: names.count)
        var stack: [Int] = [], onStack = [Bool](repeating: false, count: names.count)
        var component = [Int](repeating: -1, count: names.count), componentSize: [Int] = []

        func connect(_ v: Int) {
            indices[v] = index
            lowlink[v] = index
            index += 1
            stack.append(v)
            onStack[v] = true
            for w in adjacency[v] {
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
        // Roots in name order, as before (the components do not depend on it; the numbering does).
        for v in names.indices.sorted(by: { names[$0] < names[$1] }) where indices[v] < 0 { connect(v) }

        var out: Set<Edge> = []
        for e in ends {
            let c = component[e.from]
            if c == component[e.to], componentSize[c] >= 2 {
                out.insert(Edge(from: names[e.from], to: names[e.to]))
            }
        }
        return out
    }
}

/// One edge of the institution referral network, over all participants.
public struct NetworkEdge: Sendable {
    public let from: String
    public let to: String
    public var referrals = 0
    public var refused = 0
    public var participants: Set<String> = []

    mutating func add(_ referral: ReferralEdge) {
        referrals += 1
        if referral.refused { refused += 1 }
        participants.insert(referral.participant)
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
    /// sorted by from, then to.
    public static func network(_ referrals: [ReferralEdge]) -> [NetworkEdge] {
        var network = ReferralNetwork()
        for a in referrals { network.add(a) }
        return network.edges
    }
}

/// The institution referral network built up edge by edge (so a dump can add each
/// participant's referrals while the next participants are still being computed).
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
