import Testing
@testable import JourneyModel

struct MomentTests {
    @Test func calendarDatesRoundTripAndCountDays() throws {
        let d = try #require(CalendarDate("2024-02-29"))
        #expect(d.description == "2024-02-29")
        #expect(CalendarDate("2023-02-29") == nil)
        #expect(CalendarDate("0000-01-01") == nil)
        #expect(CalendarDate("0001-01-01")?.description == "0001-01-01")
        #expect(CalendarDate("9999-12-31")?.description == "9999-12-31")
        #expect(try #require(CalendarDate("2023-05-10")).days(to: try #require(CalendarDate("2023-05-17"))) == 7)
        #expect(CalendarDate("1970-01-01")?.daysSinceEpoch == 0)
    }

    @Test func everyDayOfSeveralYearsIsWrittenAsItIsRead() throws {
        let daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        for year in [1, 9, 10, 99, 100, 999, 1000, 1900, 1999, 2000, 2023, 2024, 9999] {
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            for month in 1...12 {
                for day in 1...(daysInMonth[month - 1] + (month == 2 && leap ? 1 : 0)) {
                    let text = String(repeating: "0", count: 4 - String(year).count) + String(year) + "-"
                        + (month < 10 ? "0" : "") + String(month) + "-" + (day < 10 ? "0" : "") + String(day)
                    let date = try #require(CalendarDate(text), "\(text)")
                    #expect(date.description == text)
                    #expect(date.components == (year, month, day))
                }
            }
        }
    }

    @Test func byTimeOrderUsesDateAsWrittenThenPlainDatesFirstThenInstant() throws {
        let plain = try #require(Moment("2023-05-14"))
        let late = try #require(Moment("2023-05-14T23:30:00+02:00"))  // 21:30Z
        let early = try #require(Moment("2023-05-14T22:00:00Z"))
        let nextDayEarlierInstant = try #require(Moment("2023-05-15T00:30:00+05:00"))  // 2023-05-14T19:30Z
        #expect(Moment.precedes(plain, late))
        #expect(Moment.precedes(late, early))
        #expect(!Moment.precedes(early, late))
        #expect(Moment.precedes(early, nextDayEarlierInstant))  // the date as written decides first
        #expect(!Moment.precedes(plain, plain))
    }

    @Test func theWholeYearRangeHasInstants() throws {
        let last = try #require(Moment("9999-12-31T23:59:60.999999999-23:59"))
        let first = try #require(Moment("0001-01-01T00:00:00+23:59"))
        #expect(try #require(first.instant) < #require(last.instant))
        #expect(try #require(Moment("2262-04-12T00:00:00Z")?.instant) < #require(Moment("2999-01-01T00:00:00Z")?.instant))
    }

    @Test func fractionsAndOffsetsGiveInstants() throws {
        let a = try #require(Moment("2023-05-14T10:00:00.5+01:00"))
        let b = try #require(Moment("2023-05-14T09:00:00.500Z"))
        #expect(a.instant == b.instant)
        #expect(Moment("2023-05-14T10:00:00.+01:00") == nil)
        #expect(Moment("2023-05-14T10:00:00+1:00") == nil)
    }
}
