import ArgumentParser
import Dumps
import Foundation
import Projections

/// `journey dump --out DIR` and `journey dump --check DIR`
struct DumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Write every projection as analysis-ready tables (CSV, JSON Lines, SQLite, SPSS, Stata), or check a dump.",
        discussion: """
            Tables: participants, institutions, institution_categories, timeline, pairs, pair_items, \
            referrals, referral_network and compliance.

            Formats (--format, comma-separated or repeated; default csv):
              csv     <table>.csv and datapackage.json (a Frictionless Data Package: types,
                      descriptions, keys, value labels)
              jsonl   <table>.jsonl, one JSON object per row
              sqlite  journey.sqlite with every table, keys, and the data dictionary
                      (dump_tables, data_dictionary, value_labels)
              spss    <table>.sav with variable and value labels
              stata   <table>.dta with variable and value labels
              all     every format

            Every dump also writes stats.json and manifest.json (the log position and hash it \
            reflects, the options, the command line and the SHA-256 of each file). The same log \
            gives byte-identical files. --check DIR recomputes a dump from the store and says \
            whether it still matches.
            """
    )

    @Option(help: ArgumentHelp("Directory to write into (created if missing).", valueName: "DIR")) var out: String?
    @Option(help: ArgumentHelp("Check that the dump in DIR still matches the store; writes nothing.", valueName: "DIR")) var check: String?
    @Option(
        name: .customLong("format"),
        parsing: .singleValue,
        help: ArgumentHelp("csv, jsonl, sqlite, spss, stata, xes, ocel or all; comma-separated or repeated.", valueName: "FORMAT")
    )
    var formatNames: [String] = []
    @OptionGroup var withdrawal: WithdrawalOption
    @Flag(help: "Also write texts.csv: the narrative texts no other table carries (experience summaries), for qualitative follow-up. Without it they stay in the store.")
    var freeText = false
    @Flag(help: "Also write the sequence-analysis tables: spells.csv (each episode as a spell, TraMineR's SPELL form) and sequence_weeks.csv (per study week the chains involved, STS form).")
    var sequences = false
    @Option(help: ArgumentHelp("Language of SPSS and Stata value labels: en or nl (Dutch).", valueName: "LANG"))
    var labels = "en"
    @Option(help: ArgumentHelp("Title of the data package (datapackage.json).", valueName: "TEXT")) var title: String?
    @Option(help: ArgumentHelp("Description of the data package: the study, what the data are.", valueName: "TEXT")) var description: String?
    @Option(help: ArgumentHelp("SPDX id of the data's licence (CC-BY-4.0); without it the package says: not open data, shared under the study's data-access agreement.", valueName: "ID"))
    var license: String?
    @Option(help: ArgumentHelp("A contributor, as NAME or NAME:ROLE (author, contributor, publisher, ...); repeatable. Default: whoever runs the dump, as publisher.", valueName: "NAME[:ROLE]"))
    var contributor: [String] = []
    @OptionGroup var windows: WindowOptions
    @OptionGroup var replay: ReplayOptions
    @OptionGroup var audit: AuditOption

    func validate() throws {
        if let license, license.isEmpty || !license.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "+" }) {
            throw ValidationError("--license must be an SPDX licence id such as CC-BY-4.0")
        }
        if contributor.contains(where: { $0.split(separator: ":", omittingEmptySubsequences: false).first?.isEmpty ?? true }) {
            throw ValidationError("--contributor must name someone: NAME or NAME:ROLE")
        }
        switch (out, check) {
        case (nil, nil): throw ValidationError("give --out DIR to write a dump or --check DIR to check one")
        case (.some, .some): throw ValidationError("give --out or --check, not both")
        default: break
        }
        _ = try formats()
        guard LabelLanguage(rawValue: labels) != nil else { throw ValidationError("--labels must be en or nl") }
    }

    /// The formats asked for.
    func formats() throws -> Set<DumpFormat> {
        var formats: Set<DumpFormat> = []
        for name in formatNames.flatMap({ $0.split(separator: ",") }).map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            if name == "all" {
                formats.formUnion(DumpFormat.allCases)
            } else if let format = DumpFormat(rawValue: name) {
                formats.insert(format)
            } else {
                throw ValidationError("unknown format '\(name)'; use csv, jsonl, sqlite, spss, stata or all")
            }
        }
        return formats.isEmpty ? [.csv] : formats
    }

    func run() throws {
        let state = try replay.open()
        if let check {
            let report = try DumpCheck.run(state: state, directory: check)
            try audit.record("dump-check", in: state.store, ["dir": check, "upto": String(report.manifest.log.upto),
                                                              "outcome": report.matches ? "matches" : "differs: \(report.problems.count) problems"])
            if report.matches {
                print("\(check): matches the store (log up to seq \(report.manifest.log.upto), \(plural(report.manifest.files.count, "file")))")
                return
            }
            for problem in report.problems { Console.error("\(check): \(problem)") }
            throw CommandError("\(check): does not match (\(plural(report.problems.count, "problem")))")
        }
        var options = DumpOptions()
        options.upto = replay.upto
        options.windows = replay.windows(windows.windows)
        options.recordedBy = replay.recordedBy
        options.formats = try formats()
        options.excludeWithdrawn = withdrawal.excludeWithdrawn
        options.freeText = freeText
        options.sequences = sequences
        options.labels = LabelLanguage(rawValue: labels) ?? .en
        options.commandLine = CommandLine.arguments
        if let title { options.study.title = title }
        if let description { options.study.description = description }
        options.study.license = license
        options.study.contributors = contributor.isEmpty ? [.init(title: audit.who, role: "publisher")] : contributor.map { c in
            let parts = c.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            return .init(title: String(parts[0]), role: parts.count > 1 && !parts[1].isEmpty ? String(parts[1]) : "contributor")
        }
        // Recorded before the files are moved into place: no dump goes unrecorded.
        let summary = try Dump.write(state: state, options: options, to: out ?? ".") { summary in
            try audit.record("dump", in: state.store, [
                "dir": summary.directory, "formats": options.formats.sorted().map(\.rawValue).joined(separator: ","), "upto": String(summary.upto),
                "participants": String(summary.participants), "excludedWithdrawn": String(summary.manifest.participants.excludedWithdrawn),
                "files": String(summary.files.count),
            ])
        }
        for warning in summary.warnings { Console.error("warning: \(warning)") }
        var line = "\(summary.directory): \(plural(summary.files.count, "file")) for \(plural(summary.participants, "participant")) (log up to seq \(summary.upto))"
        if withdrawal.excludeWithdrawn { line += ", \(plural(summary.manifest.participants.excludedWithdrawn, "withdrawn participant")) left out" }
        print(line)
    }
}
