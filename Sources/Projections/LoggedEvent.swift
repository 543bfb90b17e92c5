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

    /// `events` in "by time" order (contract 1.1 and 4.1: date as written, plain dates before
    /// date-times, date-times by instant, then event id as bytes); sorts small keys, not the
    /// events themselves.
    public static func sortedByTime(_ events: [LoggedEvent]) -> [LoggedEvent] {
        var keys = events.indices.map { i in (key: events[i].byTimeKey, index: i) }
        keys.sort { $0.key < $1.key || (!($1.key < $0.key) && events[$0.index].event.id.utf8.lexicographicallyPrecedes(events[$1.index].event.id.utf8)) }
        return keys.map { events[$0.index] }
    }

    /// Its place in "by time" order but for the id (`ByTimeKey`, tie 0).
    public var byTimeKey: ByTimeKey { ByTimeKey(event.at, tie: 0) }

    /// True if `a` comes before `b` in "by time" order (ties by event id as bytes).
    public static func byTime(_ a: LoggedEvent, _ b: LoggedEvent) -> Bool {
        let x = a.byTimeKey, y = b.byTimeKey
        if x < y { return true }
        if y < x { return false }
        return a.event.id.utf8.lexicographicallyPrecedes(b.event.id.utf8)
    }
}
