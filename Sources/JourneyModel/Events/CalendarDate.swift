/// A calendar date (proleptic Gregorian), stored as days since 1970-01-01.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it).
    public let daysSinceEpoch: Int32

    public init(daysSinceEpoch: Int32) { self.daysSinceEpoch = daysSinceEpoch }

    /// The date of `year`-`month`-`day`, or `nil` if that day does not exist or the year is
    /// outside 0001-9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        daysSinceEpoch = Int32(era * 146097 + doe - 719468)
    }

    /// Parses exactly `YYYY-MM-DD` with ASCII digits; `nil` if malformed or not a real date.
    public init?(parsing bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let y = parseDigits(bytes, 0, 4), let m = parseDigits(bytes, 5, 2), let d = parseDigits(bytes, 8, 2)
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Parses `YYYY-MM-DD` from a string.
    public init?(_ text: String) {
        var text = text
        guard let date = text.withUTF8({ CalendarDate(parsing: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = date
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Year, month and day.
    public var components: (year: Int, month: Int, day: Int) {
        // Howard Hinnant's civil_from_days.
        let z = Int(daysSinceEpoch) + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        // Ten ASCII bytes written in place: a small string, no allocation (dumps write millions).
        String(unsafeUninitializedCapacity: 10) { out in
            write(into: out)
            return 10
        }
    }

    /// Calls `body` with the ten bytes of `YYYY-MM-DD`, made on the stack.
    @inlinable
    public func withText<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { out in
            write(into: out)
            return try body(UnsafeBufferPointer(out))
        }
    }

    /// Writes `YYYY-MM-DD` into the first ten bytes of `out`.
    @usableFromInline
    func write(into out: UnsafeMutableBufferPointer<UInt8>) {
        let (y, m, d) = components
        func digits(_ v: Int, _ width: Int, at start: Int) {
            var v = v
            for i in stride(from: start + width - 1, through: start, by: -1) {
                out[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            }
        }
        digits(y, 4, at: 0)
        out[4] = UInt8(ascii: "-")
        digits(m, 2, at: 5)
        out[7] = UInt8(ascii: "-")
        digits(d, 2, at: 8)
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(to other: CalendarDate) -> Int { Int(other.daysSinceEpoch) - Int(daysSinceEpoch) }
}

@inline(__always)
func parseDigits(_ b: UnsafeRawBufferPointer, _ start: Int, _ count: Int) -> Int? {
    var v = 0
    for i in start..<(start + count) {
        let c = b[i]
        guard c >= 0x30 && c <= 0x39 else { return nil }
        v = v * 10 + Int(c - 0x30)
    }
    return v
}
