import Foundation
import Testing
@testable import ESMImport

/// The study's clock (issue 21 point 3): moments written with the offset they had in
/// Europe/Amsterdam - winter, summer, and both nights the clocks change - and dates read in the
/// formats the mapping declares.
struct StudyClockTests {
    let clock = StudyClock(zone: TimeZone(identifier: "Europe/Amsterdam")!, formats: ["Datum": "DD-MM-YYYY", "Tijd": "D-M-YYYY HH:mm"])

    @Test(arguments: [
        ("2023-01-15 08:30:00.250000+00:00", "2023-01-15T09:30:00.250000+01:00"),  // winter
        ("2023-05-14 08:30:00+00:00", "2023-05-14T10:30:00+02:00"),  // summer
        ("2023-03-26T00:59:59Z", "2023-03-26T01:59:59+01:00"),  // the night of 26 March: the last second of winter time
        ("2023-03-26T01:00:00Z", "2023-03-26T03:00:00+02:00"),  // and the first of summer time
        ("2023-10-29T00:30:00Z", "2023-10-29T02:30:00+02:00"),  // the night of 29 October: 02:30 summer time
        ("2023-10-29T01:30:00Z", "2023-10-29T02:30:00+01:00"),  // an hour later, 02:30 again, winter time
        ("2023-05-14T10:30:00+02:00", "2023-05-14T10:30:00+02:00"),
        ("2023-05-13T23:30:00-01:00", "2023-05-14T02:30:00+02:00"),  // another offset: the local day is the 14th
        ("2023-05-14 10:30:00", "2023-05-14T10:30:00+02:00"),  // local, without an offset
        ("2023-03-26 02:30:00", "2023-03-26T03:30:00+02:00"),  // in the hour skipped in spring
        ("2023-10-29 02:30:00", "2023-10-29T02:30:00+02:00"),  // in the hour repeated in autumn: the first
    ])
    func momentsKeepTheOffsetOfTheStudyZone(raw: String, expected: String) {
        #expect(clock.timestamp(raw, column: "Prompt Time")?.text == expected)
    }

    @Test func theIdStaysTheUTCMoment() {
        #expect(clock.timestamp("2023-05-14 08:30:00+00:00", column: "x")?.utc == "20230514083000")
        #expect(clock.timestamp("2023-05-14 10:30:00", column: "x")?.utc == "20230514083000")
    }

    @Test func datesAndDateTimesInDeclaredFormats() {
        #expect(clock.date("31-05-2023", column: "Datum") == "2023-05-31")
        #expect(clock.date("2023-05-31", column: "Datum") == nil)  // the column's format is the one read
        #expect(clock.date("2023-05-31", column: "Other") == "2023-05-31")
        #expect(clock.date("31-02-2023", column: "Datum") == nil)
        #expect(clock.timestamp("5-6-2023 14:05", column: "Tijd")?.text == "2023-06-05T14:05:00+02:00")
        #expect(clock.date("2023-05-13 23:30:00+00:00", column: "Other") == "2023-05-14")  // the local date
        #expect(StudyClock.isPattern("DD-MM-YYYY") && StudyClock.isPattern("D/M/YYYY") && !StudyClock.isPattern("MM-YYYY"))
    }
}
