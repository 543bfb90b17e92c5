import ArgumentParser
import ESMImport
import Foundation

/// `journey import-esm EXPORT --mapping FILE`
struct ImportESMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-esm",
        abstract: "Import the questionnaire app's export (a folder, .zip or .csv) through a mapping.",
        discussion: """
            The mapping (JSON; Schemas/esm-mapping.schema.json) says which CSV is which \
            questionnaire (registration, basic, retrospective, prospective), which columns hold \
            the session times and status, the organisation, the dates, the referral source, the \
            needs, the expected fulfilment and each statement item, and how typed organisation \
            names resolve to institution ids (aliases). Every session becomes an esm.session event \
            (so missed prompts are in the data); an answered retrospective questionnaire also \
            becomes a contact and an experience, an answered prospective one an expectation. Ids \
            derive from the session, so importing the same export again appends nothing.

            All or nothing: a mapping naming a missing column, an unparseable date, a score out \
            of range, an unknown questionnaire or an organisation name without an alias is \
            reported as FILE:ROW: column "C": reason, and nothing is appended.
            Example: journey import-esm examples/esm-export --mapping examples/esm-mapping.json
            """
    )

    @Argument(help: ArgumentHelp("The export: a folder of CSV files, a .zip of them, or one .csv.", valueName: "EXPORT")) var export: String
    @Option(help: ArgumentHelp("The mapping file (JSON).", valueName: "FILE")) var mapping: String
    @Option(help: "Report at most this many problems.") var maxErrors = 50
    @Option(help: ArgumentHelp("The participants table (app id -> pseudonym; JSON object or CSV), kept outside the store; instead of the mapping's.", valueName: "FILE"))
    var participants: String?
    @OptionGroup var storeOption: StoreOption
    @OptionGroup var audit: AuditOption

    func run() throws {
        let store = try storeOption.openForWriting()
        do {
            let report = try ESMImporter.run(export: export, mappingPath: mapping, participantsPath: participants, into: store,
                                             audit: audit.request("import-esm"))
            var line = "\(export): \(plural(report.sessions, "session")), \(plural(report.events, "event")): appended \(report.appended)"
            if let range = report.seqRange { line += range.count == 1 ? " (seq \(range.lowerBound))" : " (seq \(range.lowerBound)-\(range.upperBound))" }
            line += ", \(plural(report.duplicates, "duplicate")) skipped"
            if report.corrections > 0 { line += "; \(plural(report.corrections, "event")) changed since an earlier export, corrected" }
            if report.routes + report.routesAlreadyEntered > 0 {
                line += "; routes: \(plural(report.routes, "referral")) made, \(report.routesAlreadyEntered) already entered"
            }
            print(line)
        } catch let rejected as ESMImporter.Rejected {
            if !rejected.recorded {
                try audit.record("import-esm", in: store, ["export": export, "mapping": mapping, "outcome": "rejected", "problems": String(rejected.errors.count)])
            }
            for error in rejected.errors.prefix(maxErrors) { Console.error(error) }
            if rejected.errors.count > maxErrors { Console.error("\(export): ... and \(rejected.errors.count - maxErrors) more problems") }
            throw CommandError("\(export): rejected: \(plural(rejected.errors.count, "problem")); nothing was appended")
        } catch let error as ESMError {
            try audit.record("import-esm", in: store, ["export": export, "mapping": mapping, "outcome": "failed", "reason": error.description])
            throw CommandError(error.description)
        }
    }
}
