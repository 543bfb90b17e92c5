import Foundation
import JourneyModel

/// The app's timestamps (`2023-05-14 08:31:05.385000+00:00`) and dates, as the event format
/// writes them.
enum AppTimestamp {
    /// RFC 3339 text for an app timestamp or an RFC 3339 date-time; `nil` if it is neither or
    /// has no UTC offset.
    static func rfc3339(_ raw: String) -> String? {
        var text = raw.trimmingCharacters(in: .whitespaces)
        if text.count > 10, text[text.index(text.startIndex, offsetBy: 10)] == " " {
            text.replaceSubrange(text.index(text.startIndex, offsetBy: 10)...text.index(text.startIndex, offsetBy: 10), with: "T")
        }
        guard Moment(text, dateTimeOnly: true) != nil else { return nil }
        return text
    }

    /// `YYYY-MM-DD` for a date, or the date of a timestamp.
    static func date(_ raw: String) -> String? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if CalendarDate(text) != nil { return text }
        guard let stamp = rfc3339(text) else { return nil }
        return String(stamp.prefix(10))
    }
}
