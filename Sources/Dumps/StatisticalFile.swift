import CReadStat
import Foundation
import JourneyModel

/// Writes a dump table as an SPSS `.sav` or a Stata `.dta` file through ReadStat (the
/// C library behind R's haven and Python's pyreadstat). Every column gets its variable label;
/// coded columns and booleans are stored as numbers with value labels (their numbers are in the
/// data dictionary); dates are real dates (SPSS SDATE10, Stata %td); integers are 32-bit where
/// they fit, doubles otherwise. Names that are reserved words in SPSS (`to`) get a trailing `_`.
enum StatisticalFile {
    /// Writes `spool`'s table to `path`. `timestamp` is the file's creation time (seconds since
    /// 1970), fixed by the caller so the same log gives the same file.
    static func write(_ spool: RowSpool, profile: Profile, kind: Kind, labels: LabelLanguage, timestamp: Int, to path: String) throws {
        var sink = try StatisticalTableSink(spool.table, profile: profile, kind: kind, labels: labels, timestamp: timestamp, path: path)
        try spool.feed(&sink)
    }

    enum Kind: Sendable {
        case spss, stata
    }

    /// What SPSS and Stata declare before the first row, from a first pass over the rows: the
    /// row count, each column's widest value and whether each integer column fits 32 bits.
    struct Profile {
        var rows = 0
        var widths: [Int]
        var fitsInt32: [Bool]

        init(_ spool: RowSpool) throws {
            let isInteger = spool.table.fields.map { $0.type == .integer }
            var widths = Array(repeating: 0, count: isInteger.count), fits = Array(repeating: true, count: isInteger.count)
            try spool.forEachRow { fields in
                for (i, field) in fields.enumerated() {
                    if field.count > widths[i] { widths[i] = field.count }
                    if isInteger[i], let v = field.integer, abs(v) > 2_000_000_000 { fits[i] = false }
                }
            }
            rows = spool.rows
            self.widths = widths
            fitsInt32 = fits
        }
    }

    /// Words SPSS does not accept as variable names.
    static let spssReserved: Set<String> = ["ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"]

    /// The variable name of a column in a format.
    static func variableName(_ name: String, _ kind: Kind) -> String {
        kind == .spss && spssReserved.contains(name.uppercased()) ? name + "_" : name
    }

    /// Days from 1582-10-14 (SPSS's origin) and from 1960-01-01 (Stata's) to 1970-01-01.
    static let spssEpochDays = 141_428, stataEpochDays = 3_653

    /// Days since 1970-01-01 of a `YYYY-MM-DD` field.
    static func isoDays(_ field: UnsafeBufferPointer<UInt8>) -> Int? {
        CalendarDate(parsing: UnsafeRawBufferPointer(field)).map { Int($0.daysSinceEpoch) }
    }
}
