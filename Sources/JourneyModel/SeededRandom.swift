/// A small deterministic random generator (SplitMix64), so a seed always gives the same data -
/// on every platform and Swift version, because the helpers below do not use the standard
/// library's unspecified sampling algorithms.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<n` (n > 0).
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// A number in `range`.
    public mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }

    /// A number in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// One element of a non-empty array.
    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// A normally distributed number (Box-Muller).
    public mutating func normal(mean: Double = 0, sd: Double = 1) -> Double {
        let u = max(unit(), 1e-12), v = unit()
        return mean + sd * (-2 * _log(u)).squareRoot() * _cos(2 * Double.pi * v)
    }
}

// Deterministic elementary functions without Foundation.
private func _log(_ x: Double) -> Double {
    // log(x) = 2 atanh((x-1)/(x+1)) after scaling x into [0.5, 1).
    var m = x, e = 0.0
    while m >= 1 { m /= 2; e += 1 }
    while m < 0.5 { m *= 2; e -= 1 }
    let y = (m - 1) / (m + 1), y2 = y * y
    var term = y, sum = 0.0, k = 1.0
    for _ in 0..<40 { sum += term / k; term *= y2; k += 2 }
    return 2 * sum + e * 0.693_147_180_559_945_3
}

private func _cos(_ x: Double) -> Double {
    var r = x.truncatingRemainder(dividingBy: 2 * Double.pi)
    if r > Double.pi { r -= 2 * Double.pi }
    var term = 1.0, sum = 1.0
    for k in 1..<24 {
        term *= -r * r / Double((2 * k - 1) * (2 * k))
        sum += term
    }
    return sum
}
