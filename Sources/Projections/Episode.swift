import JourneyModel

/// A participant's involvement with one institution over a stretch of time (contract 4.4): the
/// distinct dates of their contacts with it (date of `at`) and experiences of it (`contactOn`),
/// consecutive dates at most the gap apart.
public struct Episode: Sendable, Equatable {
    public let institution: String
    /// 1, 2, ... by start, per institution.
    public let number: Int
    public let start: CalendarDate
    public let end: CalendarDate
    /// Distinct dates in the episode.
    public let dates: Int

    public init(institution: String, number: Int, start: CalendarDate, end: CalendarDate, dates: Int) {
        self.institution = institution
        self.number = number
        self.start = start
        self.end = end
        self.dates = dates
    }

    /// An episode as `spans` finds it: the institution by number.
    init(_ span: Span, numbers: InstitutionNumbers) {
        self.init(institution: numbers.name(span.institution), number: span.number, start: CalendarDate(daysSinceEpoch: span.start),
                  end: CalendarDate(daysSinceEpoch: span.end), dates: span.dates)
    }

    /// An episode with its institution's number in an `InstitutionNumbers`.
    struct Span {
        let institution: Int32
        let number: Int
        let start: Int32
        let end: Int32
        let dates: Int
    }

    /// The key of an institution's date for `spans`: institution number, then day, as one
    /// integer (so sorting needs no comparison closure).
    @inline(__always)
    static func key(institution: Int32, day: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: institution)) << 32 | UInt64(UInt32(bitPattern: day) ^ 0x8000_0000)
    }

    /// The episodes of `keys` (`key(institution:day:)` of each date, any order and with
    /// repeats; sorted in place), dates more than `gapDays` apart starting a new episode; with
    /// `byId`, by institution id (bytes of the ids `numbers` gives), then number.
    static func spans(of keys: inout [UInt64], numbers: InstitutionNumbers, gapDays: Int, byId: Bool) -> [Span] {
        keys.sort()
        var out: [Span] = []
        out.reserveCapacity(keys.count)
        var i = 0
        while i < keys.count {
            let institution = keys[i] >> 32
            var number = 0
            while i < keys.count && keys[i] >> 32 == institution {
                let start = Int64(keys[i] & 0xFFFF_FFFF)
                var end = start, count = 1
                i += 1
                while i < keys.count && keys[i] >> 32 == institution && Int64(keys[i] & 0xFFFF_FFFF) - end <= Int64(gapDays) {
                    let day = Int64(keys[i] & 0xFFFF_FFFF)
                    if day != end {
                        end = day
                        count += 1
                    }
                    i += 1
                }
                number += 1
                func day(_ d: Int64) -> Int32 { Int32(bitPattern: UInt32(d) ^ 0x8000_0000) }
                out.append(Span(institution: Int32(bitPattern: UInt32(institution)), number: number, start: day(start), end: day(end), dates: count))
            }
        }
        if byId && out.count > 1 && out.first!.institution != out.last!.institution {
            out.sort { a, b in a.institution != b.institution ? numbers.precedes(a.institution, b.institution) : a.number < b.number }
        }
        return out
    }

    /// The largest number of `spans` with start <= d <= end for one day d; 0 for none.
    static func maxConcurrent(_ spans: [Span]) -> Int {
        guard spans.count > 1 else { return spans.count }
        // Opens at the start, closes the day after the end: on one day, closes come first.
        var starts = spans.map(\.start), closes = spans.map { $0.end + 1 }
        starts.sort()
        closes.sort()
        var open = 0, most = 0, c = 0
        for start in starts {
            while c < closes.count && closes[c] <= start {
                open -= 1
                c += 1
            }
            open += 1
            most = max(most, open)
        }
        return most
    }
}
