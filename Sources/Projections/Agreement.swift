import Dispatch
import Foundation
import JourneyModel

/// One row of the coders' agreement (contract 4.4, `agreement.csv`): for a dimension, either
/// all coders (`coders` = `all`: Krippendorff's alpha) or one pair (`A;B`: Cohen's kappa).
public struct AgreementRow: Sendable, Equatable {
    public let dimension: String
    public let coders: String
    public let units: Int
    /// `nil` where the statistic is 0/0.
    public let observedAgreement: Double?
    public let alpha: Double?
    public let kappa: Double?
    /// A bootstrap 95% interval for `alpha` (units resampled; `journey agreement` only, never in
    /// a dump: it is not reproducible across implementations).
    public var alphaInterval: (low: Double, high: Double)?

    public static func == (a: Self, b: Self) -> Bool {
        a.dimension == b.dimension && a.coders == b.coders && a.units == b.units && a.observedAgreement == b.observedAgreement
            && a.alpha == b.alpha && a.kappa == b.kappa
    }
}

/// Agreement between the coders' current codings (contract 4.4): per dimension (chain, level
/// class, kind, then each taxonomy category), Krippendorff's alpha for nominal data over all
/// coders and Cohen's kappa per pair of coders.
public enum Agreement {
    /// The dimensions in the contract's order: a name and each coding's value (`nil`: no value,
    /// as a coding without a kind).
    public static let dimensions: [(name: String, value: @Sendable (InstitutionCoding) -> String?)] = {
        var out: [(name: String, value: @Sendable (InstitutionCoding) -> String?)] = [
            ("chain", { Taxonomy.shared.chain(of: $0.categories) }),
            ("level_class", { Taxonomy.levelClass(of: $0.levels) }),
            ("kind", { $0.kind?.rawValue }),
        ]
        for category in Taxonomy.shared.categories {
            let code = category.code
            out.append(("category:" + code, { $0.categories.contains(code) ? "true" : "false" }))
        }
        return out
    }()

    /// Every row (no intervals; `bootstrap` > 0 adds them to the `all` rows, seeded by `seed`).
    public static func rows(_ directory: InstitutionDirectory, bootstrap: Int = 0, seed: UInt64 = 1) -> [AgreementRow] {
        // Units: institutions (mentioned or not) with current codings from at least two coders.
        let units = directory.coders.filter { $0.value.count >= 2 }.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        let coders = Set(units.flatMap { $0.value.keys }).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        // The dimensions on every core (each bootstrap is the long part).
        let slots = RowSlots(count: dimensions.count)
        DispatchQueue.concurrentPerform(iterations: dimensions.count) { d in
            slots.set(d, rows(dimension: d, units: units, coders: coders, bootstrap: bootstrap, seed: seed))
        }
        return slots.all.flatMap { $0 }
    }

    private static func rows(dimension d: Int, units: [(key: String, value: [String: InstitutionCoding])], coders: [String],
                             bootstrap: Int, seed: UInt64) -> [AgreementRow] {
        let (name, value) = dimensions[d]
        // Each unit's values; a unit of `kind` only where every coder of it gave one.
        // In coder order: the sums then come out the same, bit for bit, in every run.
        let all: [[String]] = units.compactMap { unit in
            let values = unit.value.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { value($0.value) }
            return values.contains(where: { $0 == nil }) ? nil : values.map { $0! }
        }
        guard !all.isEmpty else { return [] }
        let counts = UnitCounts(all)
        var row = AgreementRow(dimension: name, coders: "all", units: all.count, observedAgreement: counts.observedAgreement(),
                               alpha: counts.alpha(), kappa: nil)
        if bootstrap > 0, row.alpha != nil { row.alphaInterval = counts.interval(samples: bootstrap, seed: seed &+ UInt64(d)) }
        var out = [row]
        for (i, a) in coders.enumerated() {
            for b in coders[(i + 1)...] {
                var pairs: [(String, String)] = []
                for unit in units {
                    guard let x = unit.value[a], let y = unit.value[b], let u = value(x), let v = value(y) else { continue }
                    pairs.append((u, v))
                }
                guard !pairs.isEmpty else { continue }
                let agree = pairs.filter { $0.0 == $0.1 }.count
                out.append(AgreementRow(dimension: name, coders: a + ";" + b, units: pairs.count,
                                        observedAgreement: Double(agree) / Double(pairs.count), alpha: nil, kappa: kappa(pairs)))
            }
        }
        return out
    }

    /// Krippendorff's alpha for nominal data over `units` (each unit's values, one per coder);
    /// `nil` when 0/0.
    public static func alpha(_ units: [[String]]) -> Double? { UnitCounts(units).alpha() }

    /// Cohen's kappa of two coders' values on the same units; `nil` when 0/0.
    public static func kappa(_ pairs: [(String, String)]) -> Double? {
        let n = Double(pairs.count)
        guard n > 0 else { return nil }
        var a: [String: Double] = [:], b: [String: Double] = [:]
        var agree = 0.0
        for (x, y) in pairs {
            a[x, default: 0] += 1
            b[y, default: 0] += 1
            if x == y { agree += 1 }
        }
        let po = agree / n
        let pe = a.reduce(0.0) { $0 + $1.value * (b[$1.key] ?? 0) } / (n * n)
        guard pe != 1 else { return nil }
        return (po - pe) / (1 - pe)
    }
}

/// Each unit's value counts, for alpha and its bootstrap, in flat arrays (the bootstrap reads
/// them a million times).
private struct UnitCounts {
    /// Per unit: how many values, and the disagreeing ordered pairs over (m - 1).
    var m: [Int] = []
    var disagreement: [Double] = []
    /// Per unit, its values' numbers and counts: `valueIds[start[u]..<start[u + 1]]`.
    var start: [Int] = [0]
    var valueIds: [Int] = []
    var valueCounts: [Int] = []
    var agreeingPairs: [Int] = []
    let distinct: Int

    init(_ units: [[String]]) {
        var numbers: [String: Int] = [:]
        for unit in units where unit.count >= 2 {
            var counts: [(Int, Int)] = []
            for v in unit {
                let n = numbers[v] ?? numbers.count
                numbers[v] = n
                if let i = counts.firstIndex(where: { $0.0 == n }) { counts[i].1 += 1 } else { counts.append((n, 1)) }
            }
            let size = unit.count
            let same = counts.reduce(0) { $0 + $1.1 * $1.1 }
            m.append(size)
            disagreement.append(Double(size * size - same) / Double(size - 1))
            for (id, count) in counts {
                valueIds.append(id)
                valueCounts.append(count)
            }
            start.append(valueIds.count)
            agreeingPairs.append(counts.reduce(0) { $0 + $1.1 * ($1.1 - 1) / 2 })
        }
        distinct = numbers.count
    }

    /// Agreeing coder pairs over all coder pairs, pooled over units.
    func observedAgreement() -> Double? {
        let pairs = m.reduce(0) { $0 + $1 * ($1 - 1) / 2 }
        return pairs == 0 ? nil : Double(agreeingPairs.reduce(0, +)) / Double(pairs)
    }

    /// alpha = 1 - (n - 1) * sum of disagreements / (n^2 - sum of n_c^2).
    func alpha() -> Double? {
        var total = [Int](repeating: 0, count: distinct)
        return alpha(units: m.indices, total: &total)
    }

    /// alpha over the units `units` yields (with repeats), `total` a zeroed buffer of
    /// `distinct` counts.
    private func alpha<S: Sequence<Int>>(units: S, total: inout [Int]) -> Double? {
        var n = 0, observed = 0.0
        m.withUnsafeBufferPointer { m in
            disagreement.withUnsafeBufferPointer { disagreement in
                start.withUnsafeBufferPointer { start in
                    valueIds.withUnsafeBufferPointer { ids in
                        valueCounts.withUnsafeBufferPointer { counts in
                            total.withUnsafeMutableBufferPointer { total in
                                for u in units {
                                    n += m[u]
                                    observed += disagreement[u]
                                    for i in start[u]..<start[u + 1] { total[ids[i]] += counts[i] }
                                }
                            }
                        }
                    }
                }
            }
        }
        var squares = 0.0
        for i in total.indices {
            squares += Double(total[i]) * Double(total[i])
            total[i] = 0
        }
        let expected = Double(n) * Double(n) - squares
        guard expected != 0 else { return nil }
        return 1 - Double(n - 1) * observed / expected
    }

    /// A bootstrap 95% interval of alpha: `samples` resamplings of the units with replacement.
    func interval(samples: Int, seed: UInt64) -> (low: Double, high: Double)? {
        var random = SeededRandom(seed: seed)
        var alphas: [Double] = []
        alphas.reserveCapacity(samples)
        var indices = [Int](repeating: 0, count: m.count)
        var total = [Int](repeating: 0, count: distinct)
        let count = UInt64(m.count)
        for _ in 0..<samples {
            // Multiply-shift in place of a division per draw.
            for i in indices.indices { indices[i] = Int(random.next().multipliedFullWidth(by: count).high) }
            if let a = alpha(units: indices, total: &total) { alphas.append(a) }
        }
        guard !alphas.isEmpty else { return nil }
        alphas.sort()
        func at(_ q: Double) -> Double { alphas[min(alphas.count - 1, max(0, Int((q * Double(alphas.count)).rounded(.down))))] }
        return (at(0.025), at(0.975))
    }
}

/// Each dimension's rows, filled by the workers.
private final class RowSlots: @unchecked Sendable {  // every access under `lock`
    private var rows: [[AgreementRow]]
    private let lock = NSLock()

    init(count: Int) { rows = Array(repeating: [], count: count) }

    func set(_ i: Int, _ value: [AgreementRow]) {
        lock.lock()
        rows[i] = value
        lock.unlock()
    }

    var all: [[AgreementRow]] {
        lock.lock()
        defer { lock.unlock() }
        return rows
    }
}
