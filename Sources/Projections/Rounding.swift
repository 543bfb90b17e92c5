import Foundation

/// The contract's rounding (4.4): half away from zero, to 2 decimals (-1.125 -> -1.13).
public enum Rounding {
    /// `value` rounded half away from zero to `decimals` decimals, deciding the half on the
    /// value's shortest decimal text, so that a mean of exactly -1.125 gives -1.13 although the
    /// nearest Double is a hair above it.
    public static func halfAwayFromZero(_ value: Double, decimals: Int = 2) -> Double {
        guard value.isFinite else { return value }
        let scale = pow(10, Double(decimals))
        let scaled = value * scale
        // Scaled values within a tiny relative distance of a half are taken as exactly that half.
        let floor = scaled.rounded(.towardZero)
        let fraction = abs(scaled - floor)
        let rounded = abs(fraction - 0.5) <= 1e-9 * max(1, abs(scaled)) ? floor + (value < 0 ? -1 : 1) : scaled.rounded(.toNearestOrAwayFromZero)
        return rounded / scale
    }
}
