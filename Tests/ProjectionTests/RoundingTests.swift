import Testing
@testable import Projections

/// The contract's rounding (4.4): half away from zero, to 2 decimals.
struct RoundingTests {
    @Test func halvesGoAwayFromZero() {
        #expect(Rounding.halfAwayFromZero(-1.125) == -1.13)
        #expect(Rounding.halfAwayFromZero(1.125) == 1.13)
        #expect(Rounding.halfAwayFromZero(-9.0 / 8.0) == -1.13)
        #expect(Rounding.halfAwayFromZero(2.675) == 2.68)  // 2.67499999... as a Double
        #expect(Rounding.halfAwayFromZero(-0.005) == -0.01)
        #expect(Rounding.halfAwayFromZero(1.124) == 1.12)
        #expect(Rounding.halfAwayFromZero(-1.0 / 3.0) == -0.33)
        #expect(Rounding.halfAwayFromZero(2.0 / 3.0) == 0.67)
        #expect(Rounding.halfAwayFromZero(0) == 0)
    }
}
