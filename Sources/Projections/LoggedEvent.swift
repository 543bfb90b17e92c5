import JourneyModel

/// An event of the log with its position: what every projection works on.
/// A class: projections pass events around and keep them in pairs and audits; sharing one
/// immutable object costs a reference count, copying the struct cost a copy of every field.
public final class LoggedEvent: Sendable {
    /// Log position.
    public let seq: UInt64
    /// The validated event.
    public let event: Event

    public init(seq: UInt64, event: Event) {
        self.seq = seq
        self.event = event
    }

    /// "By time" order (contract 1.1): date as written, plain dates before date-times,
    /// date-times by instant, then seq. A total order.
    /// `events` in "by time" order; sorts small keys, not the events themselves.
    public static func sortedByTime(_ events: [LoggedEvent]) -> [LoggedEvent] {
        var keys = events.indices.map { i -> (date: Int32, timed: Int8, seconds: Int64, nanos: Int32, seq: UInt64, index: Int) in
            let at = events[i].event.at
            return (at.date.daysSinceEpoch, at.instant == nil ? 0 : 1, at.instant?.seconds ?? 0, at.instant?.nanoseconds ?? 0, events[i].seq, i)
        }
        keys.sort { a, b in
            if a.date != b.date { return a.date < b.date }
            if a.timed != b.timed { return a.timed < b.timed }
            if a.seconds != b.seconds { return a.seconds < b.seconds }
            if a.nanos != b.nanos { return a.nanos < b.nanos }
            return a.seq < b.seq
        }
        return keys.map { events[$0.index] }
    }

    public static func byTime(_ a: LoggedEvent, _ b: LoggedEvent) -> Bool {
        if Moment.precedes(a.event.at, b.event.at) { return true }
        if Moment.precedes(b.event.at, a.event.at) { return false }
        return a.seq < b.seq
    }
}
