import JourneyModel
import Projections

/// A file format a dump can write.
public enum DumpFormat: String, Sendable, CaseIterable, Comparable {
    /// RFC 4180 CSV tables with `datapackage.json` (a Frictionless Data Package).
    case csv
    /// One JSON Lines file per table.
    case jsonl
    /// One SQLite database with every table and the data dictionary.
    case sqlite
    /// One SPSS `.sav` file per table, with variable and value labels.
    case spss
    /// One Stata `.dta` file per table, with variable and value labels.
    case stata
    /// An IEEE 1849 XES event log of the journeys (`journey.xes`), for process mining.
    case xes
    /// An OCEL 2.0 object-centric event log (`journey.ocel.json`).
    case ocel

    public static func < (a: DumpFormat, b: DumpFormat) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The name of the file a table is written to in this format (SQLite: one file for all).
    public func file(of table: DumpTables.Table) -> String {
        switch self {
        case .csv: table.name + ".csv"
        case .jsonl: table.name + ".jsonl"
        case .sqlite: DumpFormat.sqliteFile
        case .spss: table.name + ".sav"
        case .stata: table.name + ".dta"
        case .xes: ProcessLog.xesFile
        case .ocel: ProcessLog.ocelFile
        }
    }

    /// The SQLite file of a dump.
    public static let sqliteFile = "journey.sqlite"
}

/// What to dump and how.
public struct DumpOptions: Sendable {
    /// Replay the log only up to this position; `nil` is the whole log.
    public var upto: UInt64?
    /// The pairing window (contract 2.2) and the follow-up window for dead ends (2.4).
    public var windows = ProjectionWindows()
    /// `--recorded-by` as given (`windows.recordedBy` is its instant), for the manifest.
    public var recordedBy: String?
    /// The formats to write; `stats.json` and `manifest.json` are always written.
    public var formats: Set<DumpFormat> = [.csv]
    /// Leave out participants whose latest exit reason is `withdrew`.
    public var excludeWithdrawn = false
    /// The language of value labels in SPSS and Stata files.
    public var labels: LabelLanguage = .en
    /// Also write `texts.csv`, the narrative texts no other table carries.
    public var freeText = false
    /// Write the sequence-analysis tables (`spells.csv`, `sequence_weeks.csv`).
    public var sequences = false
    /// Title, description, licence and contributors for `datapackage.json`.
    public var study = StudyMetadata()
    /// The command line that asked for the dump, recorded in the manifest.
    public var commandLine: [String] = []

    public init() {}
}
