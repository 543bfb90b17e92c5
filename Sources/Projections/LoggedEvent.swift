import JourneyModel

/// An event of the log with its position: what every projection works on.
public struct LoggedEvent: Sendable {
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
    public static func byTime(_ a: LoggedEvent, _ b: LoggedEvent) -> Bool {
        if Moment.precedes(a.event.at, b.event.at) { return true }
        if Moment.precedes(b.event.at, a.event.at) { return false }
        return a.seq < b.seq
    }
}
