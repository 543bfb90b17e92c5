import ArgumentParser
import Demo
import Foundation
import JourneyStore

/// `journey demo`: the main job out of the box.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate a synthetic cohort shaped like the study, import it, print its stats and write the visual report.",
        discussion: """
            The cohort is SYNTHETIC: every participant, organisation name and answer is invented. \
            It is shaped like the study (29 women, about 128 organisations in both chains, 4-34 \
            organisations per participant with a mean near 11, the study's involvement rates), \
            with intake interviews, weekly questionnaires (expectations before contacts, \
            experiences after), refused referrals, dead ends, pillar-to-post cycles, retractions, \
            recodings and closing interviews. The same seed always gives the same cohort; running \
            the demo again on the same store appends nothing.
            """
    )

    @Option(help: "Number of participants.") var participants = 29
    @Option(help: "Seed of the generator.") var seed: UInt64 = 22
    @Option(help: ArgumentHelp("Directory for the visual report.", valueName: "DIR")) var report = "journey-report"
    @Flag(help: "Skip the report.") var noReport = false
    @Option(help: ArgumentHelp("Also keep the generated events as JSON Lines in FILE.", valueName: "FILE")) var eventsOut: String?
    @Flag(help: "Only write the events to --events-out FILE; import nothing, write no report.") var generateOnly = false
    @OptionGroup var storeOption: StoreOption
    @OptionGroup var audit: AuditOption

    func validate() throws {
        if participants < 1 { throw ValidationError("--participants must be at least 1") }
        if generateOnly && eventsOut == nil { throw ValidationError("--generate-only needs --events-out FILE") }
    }

    func run() throws {
        let cohort = DemoCohort(participants: participants, seed: seed)
        if generateOnly, let eventsOut {
            let lines = try cohort.write(to: eventsOut)
            print("Synthetic demo cohort: \(plural(participants, "participant")), seed \(seed), \(plural(lines, "event")) written to \(eventsOut).")
            return
        }
        let store = try storeOption.openForWriting()
        let file = eventsOut ?? NSTemporaryDirectory() + "/journey-demo-\(getpid()).jsonl"
        defer { if eventsOut == nil { try? FileManager.default.removeItem(atPath: file) } }
        let lines = try cohort.write(to: file)
        var options = ImportOptions()
        options.audit = audit.request("demo", ["participants": String(participants), "seed": String(seed)])
        let imported = try store.importFile(file, options: options)
        guard imported.succeeded else {
            for error in imported.errors { Console.error("demo cohort line \(error.line): \(error.message)") }
            throw CommandError("the generated cohort did not import; this is a bug in the generator")
        }
        print("Synthetic demo cohort: \(plural(participants, "participant")), seed \(seed), \(plural(lines, "event")): appended \(imported.appended), \(imported.duplicates) already in \(store.directory).")
        print("")
        let key = storeOption.keyFile.map { ["--key-file", $0] } ?? []
        let stats = try StatsCommand.parse(["--store", store.directory] + key)
        try stats.run()
        guard !noReport else { return }
        let reportCommand = try ReportCommand.parse(["--out", report, "--store", store.directory, "--by", audit.who] + key)
        try reportCommand.run()
    }
}
