import Foundation
import JourneyModel

/// The study's clock (issue 21): the app's timestamps and dates read in the formats the mapping
/// declares per column, and every moment written with the offset it had in the study's time zone
/// (`Europe/Amsterdam` unless the mapping says otherwise), so local days and weeks are the
/// participants' own.
struct StudyClock {
    let zone: TimeZone
    /// Column -> pattern (`YYYY`, `MM`/`M`, `DD`/`D`, `HH`, `mm`, `ss`, literal characters).
    let formats: [String: String]
    /// The zone's offset per hour since the epoch, as looked up (a call into Foundation each
    /// time cost a third of an import).
    private let offsets = OffsetCache()

    init(zone: TimeZone, formats: [String: String]) {
        self.zone = zone
        self.formats = formats
    }

    /// The zone's offset in seconds at the instant `seconds` since the epoch.
    private func offset(at seconds: Int64) -> Int64 {
        let hour = seconds >= 0 ? seconds / 3600 : (seconds - 3599) / 3600
        if let known = offsets.values[hour] { return known }
        // Zones change on whole hours (or half): an hour's offset holds for all of it when its
        // start and end agree; otherwise it is looked up each time.
        let start = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(hour * 3600))))
        let end = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(hour * 3600 + 3599))))
        guard start == end else { return Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))) }
        offsets.values[hour] = start
        return start
    }

    static let defaultZone = "Europe/Amsterdam"

    /// The tokens a pattern may use.
    static func isPattern(_ pattern: String) -> Bool {
        var p = Substring(pattern)
        var hasYear = false, hasMonth = false, hasDay = false
        while !p.isEmpty {
            if p.hasPrefix("YYYY") { hasYear = true; p = p.dropFirst(4) } else if p.hasPrefix("MM") || p.hasPrefix("DD") || p.hasPrefix("HH")
                || p.hasPrefix("mm") || p.hasPrefix("ss") {
                if p.hasPrefix("MM") { hasMonth = true }
                if p.hasPrefix("DD") { hasDay = true }
                p = p.dropFirst(2)
            } else {
                if p.first == "M" { hasMonth = true }
                if p.first == "D" { hasDay = true }
                p = p.dropFirst()
            }
        }
        return hasYear && hasMonth && hasDay
    }

    /// RFC 3339 text, with the study zone's offset at that moment, of a timestamp in `column`
    /// (the column's pattern, an app timestamp, an RFC 3339 date-time, or a local date-time without
    /// offset); `nil` if it is none of them. `utc`: the same moment's `YYYYMMDDHHMMSS` in UTC
    /// (stable ids, whatever the zone).
    func timestamp(_ raw: String, column: String) -> (text: String, utc: String)? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if let pattern = formats[column] {
            guard let f = Self.fields(text, pattern) else { return nil }
            return local(f.date, seconds: f.seconds, fraction: "")
        }
        var t = text
        if t.count > 10, t[t.index(t.startIndex, offsetBy: 10)] == " " {
            t.replaceSubrange(t.index(t.startIndex, offsetBy: 10)...t.index(t.startIndex, offsetBy: 10), with: "T")
        }
        if let moment = Moment(t, dateTimeOnly: true), let instant = moment.instant {
            return format(instant.seconds, fraction: Self.fraction(of: t))
        }
        // A local date-time without offset: YYYY-MM-DDTHH:MM:SS[.f].
        guard t.count >= 19, let date = CalendarDate(String(t.prefix(10))), t[t.index(t.startIndex, offsetBy: 10)] == "T" else { return nil }
        let clock = t.dropFirst(11).prefix(8).split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3, clock[0] < 24, clock[1] < 60, clock[2] < 60 else { return nil }
        let rest = t.dropFirst(19)
        guard rest.isEmpty || (rest.first == "." && rest.dropFirst().allSatisfy(\.isNumber) && rest.count > 1) else { return nil }
        return local(date, seconds: clock[0] * 3600 + clock[1] * 60 + clock[2], fraction: String(rest))
    }

    /// `YYYY-MM-DD` of a date in `column` (its pattern, `YYYY-MM-DD`, or the local date of a timestamp).
    func date(_ raw: String, column: String) -> String? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if let pattern = formats[column] { return Self.fields(text, pattern)?.date.description }
        if CalendarDate(text) != nil { return text }
        return timestamp(text, column: "").map { String($0.text.prefix(10)) }
    }

    /// A local date and time of day in the study zone, as RFC 3339 with the offset it had then.
    private func local(_ date: CalendarDate, seconds: Int, fraction: String) -> (text: String, utc: String) {
        let naive = Int64(date.daysSinceEpoch) * 86400 + Int64(seconds)
        // The offsets in force around that day; a local time is the one whose offset holds at
        // its instant. In the hour repeated in autumn both hold: the first (summer) one is taken;
        // in the hour skipped in spring none does: it is read with the offset before the change
        // (02:30 becomes 03:30 summer time).
        let before = offset(at: naive - 18 * 3600), after = offset(at: naive + 18 * 3600)
        let valid = [before, after].filter { offset(at: naive - $0) == $0 }
        return format(naive - (valid.max() ?? before), fraction: fraction)
    }

    /// The instant `seconds` (since the epoch, UTC) written with the study zone's offset then.
    private func format(_ seconds: Int64, fraction: String) -> (text: String, utc: String) {
        let offset = offset(at: seconds)
        func stamp(_ s: Int64) -> (String, String) {
            let days = s >= 0 ? s / 86400 : (s - 86399) / 86400
            let time = s - days * 86400
            let d = CalendarDate(daysSinceEpoch: Int32(days)).description
            func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
            return ("\(d)T\(two(time / 3600)):\(two(time / 60 % 60)):\(two(time % 60))", d.filter(\.isNumber) + two(time / 3600) + two(time / 60 % 60) + two(time % 60))
        }
        let (localText, _) = stamp(seconds + offset), (_, utc) = stamp(seconds)
        let sign = offset < 0 ? "-" : "+", a = abs(offset)
        let hh = a / 3600, mm = a / 60 % 60
        return (localText + fraction + sign + (hh < 10 ? "0" : "") + "\(hh):" + (mm < 10 ? "0" : "") + "\(mm)", utc)
    }

    /// `.fff` of an RFC 3339 date-time, or "".
    private static func fraction(of text: String) -> String {
        guard let dot = text.firstIndex(of: ".") else { return "" }
        return String(text[dot...].prefix { $0 == "." || $0.isNumber })
    }

    /// The date and seconds of the day in `text` read by `pattern`.
    static func fields(_ text: String, _ pattern: String) -> (date: CalendarDate, seconds: Int)? {
        var t = Substring(text), p = Substring(pattern)
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
        func digits(_ min: Int, _ max: Int) -> Int? {
            let d = t.prefix(max).prefix(while: \.isNumber)
            guard d.count >= min, let v = Int(d) else { return nil }
            t = t.dropFirst(d.count)
            return v
        }
        while !p.isEmpty {
            if p.hasPrefix("YYYY") { guard let v = digits(4, 4) else { return nil }; year = v; p = p.dropFirst(4); continue }
            var matched = false
            for token in ["MM", "DD", "HH", "mm", "ss"] where p.hasPrefix(token) {
                guard let v = digits(2, 2) else { return nil }
                switch token {
                case "MM": month = v
                case "DD": day = v
                case "HH": hour = v
                case "mm": minute = v
                default: second = v
                }
                p = p.dropFirst(2)
                matched = true
                break
            }
            if matched { continue }
            if p.first == "M" || p.first == "D" {
                guard let v = digits(1, 2) else { return nil }
                if p.first == "M" { month = v } else { day = v }
                p = p.dropFirst()
                continue
            }
            guard t.first == p.first else { return nil }
            t = t.dropFirst()
            p = p.dropFirst()
        }
        guard t.isEmpty, hour < 24, minute < 60, second < 60, let date = CalendarDate(year: year, month: month, day: day) else { return nil }
        return (date, hour * 3600 + minute * 60 + second)
    }
}

/// The offsets a clock has looked up, by hour (one clock belongs to one conversion).
private final class OffsetCache: @unchecked Sendable {
    var values: [Int64: Int64] = [:]
}
