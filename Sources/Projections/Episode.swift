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

    /// The episodes of `dates` (institution numbers of `numbers`, days since 1970-01-01, any
    /// order and with repeats), dates more than `gapDays` apart starting a new episode; by
    /// institution id (bytes), then number.
    static func episodes(of dates: [(institution: Int32, day: Int32)], numbers: InstitutionNumbers, gapDays: Int) -> [Episode] {
        let sorted = dates.sorted { a, b in
            a.institution != b.institution ? numbers.precedes(a.institution, b.institution) : a.day < b.day
        }
        var out: [Episode] = []
        var i = 0
        while i < sorted.count {
            let institution = sorted[i].institution, name = numbers.name(institution)
            var number = 0
            while i < sorted.count && sorted[i].institution == institution {
                let start = sorted[i].day
                var end = start, count = 1
                i += 1
                while i < sorted.count && sorted[i].institution == institution && Int(sorted[i].day) - Int(end) <= gapDays {
                    if sorted[i].day != end {
                        end = sorted[i].day
                        count += 1
                    }
                    i += 1
                }
                number += 1
                out.append(Episode(institution: name, number: number, start: CalendarDate(daysSinceEpoch: start),
                                   end: CalendarDate(daysSinceEpoch: end), dates: count))
            }
        }
        return out
    }

    /// The largest number of `episodes` with start <= d <= end for one day d; 0 for none.
    static func maxConcurrent(_ episodes: [Episode]) -> Int {
        // Opens at the start, closes the day after the end: on one day, closes come first.
        var changes = episodes.flatMap { [($0.start.daysSinceEpoch, 1), ($0.end.daysSinceEpoch + 1, -1)] }
        changes.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var open = 0, most = 0
        for (_, change) in changes {
            open += change
            most = max(most, open)
        }
        return most
    }
}
