/// "By time" order (contract 1.1), defined here once: the date as written, plain dates before
/// date-times on the same date, date-times by instant, then seq. A total order; every "by time"
/// comparison and sort of events goes through it.
public struct ByTimeKey: Comparable, Sendable {
    public let date: Int32
    /// 0 for a plain date, 1 for a date-time.
    public let timed: Int8
    public let seconds: Int64
    public let nanoseconds: Int32
    public let seq: UInt64

    @inline(__always)
    public init(date: Int32, timed: Bool, seconds: Int64, nanoseconds: Int32, seq: UInt64) {
        self.date = date
        self.timed = timed ? 1 : 0
        self.seconds = seconds
        self.nanoseconds = nanoseconds
        self.seq = seq
    }

    /// The key of an event at `moment` stored at `seq`.
    @inline(__always)
    public init(_ moment: Moment, seq: UInt64) {
        self.init(date: moment.date.daysSinceEpoch, timed: moment.instant != nil, seconds: moment.instant?.seconds ?? 0,
                  nanoseconds: moment.instant?.nanoseconds ?? 0, seq: seq)
    }

    @inline(__always)
    public static func < (a: ByTimeKey, b: ByTimeKey) -> Bool {
        if a.date != b.date { return a.date < b.date }
        if a.timed != b.timed { return a.timed < b.timed }
        if a.seconds != b.seconds { return a.seconds < b.seconds }
        if a.nanoseconds != b.nanoseconds { return a.nanoseconds < b.nanoseconds }
        return a.seq < b.seq
    }
}
