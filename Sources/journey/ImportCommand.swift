import ArgumentParser
import Foundation
import JourneyStore

/// `journey import FILE...`
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Append events from JSON Lines files to the log.",
        discussion: """
            Each file is all or nothing: if any line is invalid or conflicts with an event already \
            in the log, nothing from that file is appended and every bad line is reported as \
            FILE:LINE: reason on stderr. Lines whose id is already in the log with the same \
            content are skipped as duplicates, so importing a file twice appends it once.
            """
    )

    @Argument(help: ArgumentHelp("JSON Lines files to import; - reads standard input.", valueName: "FILE"))
    var files: [String]

    @OptionGroup var storeOption: StoreOption
    @OptionGroup var audit: AuditOption

    @Option(help: "How many bad lines to describe per file (the rest are counted).")
    var maxErrors = 100

    @Option(help: ArgumentHelp(
        "Events per staging transaction: larger is faster, smaller uses less memory.",
        discussion: "Default: \(ImportOptions.defaultBatchSize).", valueName: "N"))
    var batchSize: Int?

    @Option(help: ArgumentHelp(
        "The longest line accepted, in bytes; a longer one rejects the file.",
        discussion: "Default: \(ImportOptions.defaultMaxLineBytes) (64 MiB).", valueName: "N"))
    var maxLineBytes = ImportOptions.defaultMaxLineBytes

    func validate() throws {
        if maxLineBytes < 1 { throw ValidationError("--max-line-bytes must be at least 1") }
        if files.isEmpty { throw ValidationError("name at least one file to import (- for standard input)") }
        if maxErrors < 1 { throw ValidationError("--max-errors must be at least 1") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        let store = try storeOption.openForWriting()
        let interactive = isatty(STDERR_FILENO) != 0
        var failed = 0
        for file in files {
            var options = ImportOptions()
            options.maxReportedErrors = maxErrors
            options.batchSize = batchSize
            options.maxLineBytes = maxLineBytes
            options.onWait = { Console.error("\(file): waiting for another import into this store to finish...") }
            options.audit = audit.request("import")  // written by the import, with what it commits
            if interactive {
                let total = fileSize(file)
                options.progress = { lines, bytes in
                    let share = total.map { $0 > 0 ? " (\(bytes * 100 / $0)%)" : "" } ?? ""
                    Console.progress("\(file): \(lines) lines read\(share)")
                }
            }
            let report: ImportReport
            do {
                report = try store.importFile(file, options: options)
            } catch let error as StoreError {
                Console.progressDone()
                Console.error(error.message)
                failed += 1
                continue
            }
            Console.progressDone()
            if report.discardedStaged > 0 {
                Console.error("\(report.file): discarded \(report.discardedStaged) staged events of an earlier import that did not finish")
            }
            if report.succeeded {
                var line = "\(report.file): appended \(plural(report.appended, "event"))"
                if let range = report.seqRange {
                    line += range.count == 1 ? " (seq \(range.lowerBound))" : " (seq \(range.lowerBound)-\(range.upperBound))"
                }
                line += ", \(plural(report.duplicates, "duplicate")) skipped"
                print(line)
                if let problem = report.indexMergeProblem {
                    Console.error("warning: \(report.file) was appended, but merging the store's index generations failed (the next import tries again): \(problem)")
                }
            } else {
                for error in report.errors { Console.error("\(report.file):\(error.line): \(error.message)") }
                let more = report.errorCount - report.errors.count
                if more > 0 { Console.error("\(report.file): ... and \(more) more bad lines") }
                Console.error("\(report.file): rejected: \(plural(report.errorCount, "bad line")); nothing from this file was appended")
                failed += 1
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }

    private func fileSize(_ path: String) -> Int? {
        guard path != "-", let attrs = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        return attrs[.size] as? Int
    }
}
