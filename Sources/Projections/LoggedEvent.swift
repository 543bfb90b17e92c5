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
        var keys = events.indices.map { i in (key: events[i].byTimeKey, index: i) }
        keys.sort { $0.key < $1.key }
        return keys.map { events[$0.index] }
    }

    /// Its place in "by time" order (`ByTimeKey`).
    public var byTimeKey: ByTimeKey { ByTimeKey(event.at, seq: seq) }

    /// True if `a` comes before `b` in "by time" order (`ByTimeKey`).
    public static func byTime(_ a: LoggedEvent, _ b: LoggedEvent) -> Bool { a.byTimeKey < b.byTimeKey }
}
