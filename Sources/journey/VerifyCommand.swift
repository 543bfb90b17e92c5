import ArgumentParser
import JourneyStore

/// `journey verify`
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the hash chain and check every index against the log.",
        discussion: "Exits 0 with a one-line summary when the store is whole; otherwise non-zero, naming the first bad seq."
    )

    @OptionGroup var storeOption: StoreOption

    func run() throws {
        let store = try storeOption.openForReading()
        let report = try store.verify()
        if let problem = report.problem {
            let place = problem.seq > 0 ? "seq \(problem.seq): " : ""
            Console.error("\(store.directory): NOT whole: \(place)\(problem.message)")
            throw ExitCode(2)
        }
        var line = "\(store.directory): whole: \(report.events) events, hash chain and indexes verified, head \(report.head.hashHex.prefix(16))"
        if report.isEncrypted {
            line += report.contentChecked
                ? "; encrypted, every readable event opened with the key"
                : "; encrypted, content and institution index not checked (no key given)"
            if report.forgottenEvents > 0 { line += "; \(report.forgottenEvents) events of forgotten participants (content destroyed)" }
        }
        let trail = try store.verifyAudit()
        if let problem = trail.problem {
            Console.error("\(store.directory): NOT whole: audit trail: \(problem.message)")
            throw ExitCode(2)
        }
        line += "; audit trail: \(trail.entries == 1 ? "1 entry" : "\(trail.entries) entries") chained"
        if report.staged > 0 { line += " (\(report.staged) staged events of an unfinished import are ignored; the next import discards them)" }
        print(line)
    }
}
