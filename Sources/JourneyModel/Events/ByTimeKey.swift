/// "By time" order (contract 1.1), defined here once: the date as written, plain dates before
/// date-times on the same date, date-times by instant, then the event id as bytes (contract 4.1:
/// not the log position, so the order is a function of the set of events). Every "by time"
/// comparison and sort of events goes through it; `tie` carries the id's place (a rank among the
/// ids compared, `CompactEvent.idRank`), or 0 where ids are compared beside it (`LoggedEvent`).
public struct ByTimeKey: Comparable, Sendable {
    public let date: Int32
    /// 0 for a plain date, 1 for a date-time.
    public let timed: Int8
    public let seconds: Int64
    public let nanoseconds: Int32
    /// The event id's rank among the events compared.
    public let tie: Int64

    @inline(__always)
    public init(date: Int32, timed: Bool, seconds: Int64, nanoseconds: Int32, tie: Int64) {
        self.date = date
        self.timed = timed ? 1 : 0
        self.seconds = seconds
        self.nanoseconds = nanoseconds
        self.tie = tie
    }

    /// The key of an event at `moment` whose id ranks `tie`.
    @inline(__always)
    public init(_ moment: Moment, tie: Int64) {
        self.init(date: moment.date.daysSinceEpoch, timed: moment.instant != nil, seconds: moment.instant?.seconds ?? 0,
                  nanoseconds: moment.instant?.nanoseconds ?? 0, tie: tie)
    }

    @inline(__always)
    public static func < (a: ByTimeKey, b: ByTimeKey) -> Bool {
        if a.date != b.date { return a.date < b.date }
        if a.timed != b.timed { return a.timed < b.timed }
        if a.seconds != b.seconds { return a.seconds < b.seconds }
        if a.nanoseconds != b.nanoseconds { return a.nanoseconds < b.nanoseconds }
        return a.tie < b.tie
    }
}
