import Foundation
import JourneyModel

/// Transaction times: microseconds since the Unix epoch, written as RFC 3339 UTC.
public enum Timestamp {
    /// Now, in microseconds since the epoch.
    public static func nowMicros() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }

    /// `YYYY-MM-DDThh:mm:ss.ffffffZ`.
    public static func rfc3339(micros: Int64) -> String {
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let fraction = micros - seconds * 1_000_000
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = Int(seconds - days * 86400)
        let date = CalendarDate(daysSinceEpoch: Int32(days))
        return "\(date)T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)).\(six(Int(fraction)))Z"
    }

    /// Parses an RFC 3339 date-time (any offset) to microseconds since the epoch.
    public static func parseMicros(_ text: String) -> Int64? {
        guard let m = Moment(text, dateTimeOnly: true), let instant = m.instant else { return nil }
        return instant.microseconds
    }

    private static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    private static func six(_ v: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: 6 - s.count) + s
    }
}
