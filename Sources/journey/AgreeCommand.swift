import ArgumentParser
import Foundation
import JourneyModel
import JourneyStore
import Projections

/// `journey agree`
struct AgreeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agree",
        abstract: "Record a consensus coding of an institution (an institution.agreed event), which settles a dispute.",
        discussion: "The event is appended through the normal import path and audited; the consensus is in force over the coders' codings (contract 4.1)."
    )

    @Argument(help: "The institution id.") var institution: String
    @Option(parsing: .upToNextOption, help: ArgumentHelp("Taxonomy codes of the consensus.", valueName: "CODE")) var categories: [String]
    @Option(parsing: .upToNextOption, help: ArgumentHelp("Levels: national, regional, local.", valueName: "LEVEL")) var levels: [String]
    @Option(help: ArgumentHelp("The kind of organisation (contract 4.2).", valueName: "KIND")) var kind: String?
    @Option(help: "The institution's name (default: the name of its current coding).") var name: String?
    @Option(help: "Why the coders agreed on this.") var reason: String
    @Option(help: ArgumentHelp("The date of the consensus (default: today, UTC).", valueName: "YYYY-MM-DD")) var at: String?
    @OptionGroup var audit: AuditOption
    @OptionGroup var storeOption: StoreOption

    func validate() throws {
        if categories.isEmpty { throw ValidationError("--categories: give at least one taxonomy code") }
        if levels.isEmpty { throw ValidationError("--levels: give at least one of national, regional, local") }
        if audit.who.contains(";") { throw ValidationError("--by: a coder's name may not contain \";\"") }
        if let at, CalendarDate(at) == nil { throw ValidationError("--at: \"\(at)\" is not a date (YYYY-MM-DD)") }
    }

    func run() throws {
        let store = try storeOption.openForWriting()
        let state = try ProjectionState(store: store)
        try state.catchUp()
        let directory = try state.view { try $0.codings() }
        guard let coded = name ?? directory.name(of: institution) else {
            throw ValidationError("\(institution) has no coding yet: give its --name")
        }
        let date = at ?? String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        let id = "agreed-\(institution)-\(date)-\(UInt32.random(in: 0...UInt32.max))"
        let line = JSONLine.coding(id: id, institution: institution, name: coded, categories: categories, levels: levels, kind: kind,
                                   reason: reason, at: date, by: audit.who, consensus: true)
        var options = ImportOptions()
        options.audit = audit.request("agree", ["institution": institution])
        let report = try store.importData(Array((line + "\n").utf8), name: "journey agree", options: options)
        guard report.succeeded else {
            for error in report.errors { Console.error("journey agree: \(error.message)") }
            throw ExitCode(1)
        }
        print("\(institution): consensus recorded (\(id), seq \(report.seqRange?.lowerBound ?? 0))")
    }
}
