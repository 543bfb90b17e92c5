/// A valid-time value as written: a plain date, or an RFC 3339 date-time with an offset.
///
/// "By time" order (contract 1.1): by the date as written (its first ten characters); within one
/// date, plain dates before date-times, date-times by their instant. Ties are broken by `seq`,
/// which this type does not know.
public struct Moment: Hashable, Sendable, CustomStringConvertible {
    /// The text exactly as imported.
    public let text: String
    /// The date part as written.
    public let date: CalendarDate
    /// For a date-time: the UTC instant (leap second 60 counts as the next second); `nil` for a
    /// plain date.
    public let instant: Instant?

    /// A UTC instant: seconds since 1970-01-01T00:00:00Z and nanoseconds within the second
    /// (years 0001-9999 fit; fraction digits past the ninth are ignored).
    public struct Instant: Hashable, Comparable, Sendable {
        public let seconds: Int64
        public let nanoseconds: Int32

        public static func < (a: Instant, b: Instant) -> Bool {
            a.seconds != b.seconds ? a.seconds < b.seconds : a.nanoseconds < b.nanoseconds
        }

        /// Microseconds since the epoch.
        public var microseconds: Int64 { seconds * 1_000_000 + Int64(nanoseconds / 1000) }
    }

    public var description: String { text }

    /// Parses a date (`YYYY-MM-DD`) or an RFC 3339 date-time.
    public init?(parsing bytes: UnsafeRawBufferPointer, text: @autoclosure () -> String, dateTimeOnly: Bool = false) {
        guard bytes.count >= 10, let date = CalendarDate(parsing: UnsafeRawBufferPointer(rebasing: bytes[0..<10])) else { return nil }
        if bytes.count == 10 {
            if dateTimeOnly { return nil }
            self.text = text()
            self.date = date
            self.instant = nil
            return
        }
        guard let instant = Moment.parseTime(bytes, date: date) else { return nil }
        self.text = text()
        self.date = date
        self.instant = instant
    }

    /// Parses a date or date-time from a string.
    public init?(_ text: String, dateTimeOnly: Bool = false) {
        var copy = text
        guard let m = copy.withUTF8({ Moment(parsing: UnsafeRawBufferPointer($0), text: text, dateTimeOnly: dateTimeOnly) }) else { return nil }
        self = m
    }

    /// `Thh:mm:ss[.frac](Z|±hh:mm)` after the date; returns the UTC instant.
    private static func parseTime(_ b: UnsafeRawBufferPointer, date: CalendarDate) -> Instant? {
        let n = b.count
        guard n >= 20, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let hh = parseDigits(b, 11, 2), let mm = parseDigits(b, 14, 2), let ss = parseDigits(b, 17, 2),
              hh <= 23, mm <= 59, ss <= 60 else { return nil }
        var i = 19
        var nanos: Int64 = 0
        if b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < n, b[i] >= 0x30, b[i] <= 0x39 {
                if digits < 9 { nanos = nanos * 10 + Int64(b[i] - 0x30) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in 0..<max(0, 9 - digits) { nanos *= 10 }
        }
        guard i < n else { return nil }
        var offsetSeconds = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard i + 6 == n, b[i + 3] == UInt8(ascii: ":"),
                  let oh = parseDigits(b, i + 1, 2), let om = parseDigits(b, i + 4, 2), oh <= 23, om <= 59 else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == n else { return nil }
        let seconds = Int64(date.daysSinceEpoch) * 86400 + Int64(hh * 3600 + mm * 60 + ss) - Int64(offsetSeconds)
        return Instant(seconds: seconds, nanoseconds: Int32(nanos))
    }

    /// True if `a` comes before `b` in "by time" order (`ByTimeKey`), ignoring the event
    /// ids; false when they tie.
    public static func precedes(_ a: Moment, _ b: Moment) -> Bool { ByTimeKey(a, tie: 0) < ByTimeKey(b, tie: 0) }
}
