import Synchronization
import Dispatch
import Foundation
import JourneyModel
import JourneyStore
import Projections

/// Writes the projections as a dump (contract 3 and the dumps issue): CSV tables with
/// `datapackage.json`, JSON Lines, SQLite, SPSS and Stata files, `stats.json` and `manifest.json`.
///
/// Everything is first written into a staging directory inside the target and moved into place
/// only when all of it succeeded, so a failed dump leaves the directory as it was.
public enum Dump {
    /// What a dump wrote.
    public struct Summary: Sendable {
        public let directory: String
        public let manifest: DumpManifest
        public var upto: UInt64 { manifest.log.upto }
        public var participants: Int { manifest.participants.included }
        public var files: [String] { manifest.files.map(\.path) + [DumpManifest.fileName] }
        /// What was left alone in the directory, and why.
        public var warnings: [String] = []
    }

    /// Dumps the projections as `options` say into `directory` (created if missing).
    ///
    /// The files are written into a private staging folder and moved into place only after
    /// `beforePublish` (the audit entry of the release) has returned; if it throws, nothing is
    /// published. Staging folders of dumps whose process died are removed. Files an earlier dump
    /// here wrote and this one does not are removed only when its manifest names them as plain
    /// file names of a dump and they are regular files; anything else it names is left alone
    /// and reported in `Summary.warnings`.
    public static func write(
        state: ProjectionState, options: DumpOptions, to directory: String, beforePublish: (Summary) throws -> Void = { _ in }
    ) throws -> Summary {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw DumpError("\(directory): exists and is not a directory") }
        } else {
            do {
                try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw DumpError("\(directory): cannot create the dump directory: \(error.localizedDescription)")
            }
        }
        let staging = try StagingFolder(in: directory, prefix: ".journey-dump-partial-")
        defer { staging.remove() }

        let manifest = try render(state: state, options: options, into: staging.path)
        let names = manifest.files.map(\.path) + [DumpManifest.fileName]
        for name in names {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory), isDirectory.boolValue {
                throw DumpError("\(directory)/\(name): is a directory, cannot write the dump's file there; nothing was changed")
            }
        }
        var summary = Summary(directory: directory, manifest: manifest)
        try beforePublish(summary)
        // Files an earlier dump here wrote and this one does not would be stale: remove them.
        if let previous = try? DumpManifest.read(from: directory) {
            let current = Set(names)
            for file in previous.files where !current.contains(file.path) {
                if let warning = removeStale(file.path, in: directory) { summary.warnings.append(warning) }
            }
        }
        for name in names {
            guard rename(staging.path + "/" + name, directory + "/" + name) == 0 else {
                throw DumpError("\(directory)/\(name): cannot move into place: \(String(cString: strerror(errno)))")
            }
        }
        return summary
    }

    /// Every name a dump's file can have.
    static let fileNames: Set<String> = {
        var names: Set<String> = ["stats.json", "datapackage.json", DumpManifest.fileName, DumpFormat.sqliteFile, ProcessLog.xesFile, ProcessLog.ocelFile]
        for table in DumpTables.all {
            names.insert(table.file)
            for format in DumpFormat.allCases where ![.sqlite, .xes, .ocel].contains(format) { names.insert(format.file(of: table)) }
        }
        return names
    }()

    /// Removes `name`, which an earlier dump's manifest in `directory` lists, if it is one of a
    /// dump's file names and a regular file; otherwise leaves it and says why.
    private static func removeStale(_ name: String, in directory: String) -> String? {
        guard fileNames.contains(name) else {
            return "\(directory)/\(DumpManifest.fileName): names \"\(name)\", which is not a file a dump writes; left alone"
        }
        let path = directory + "/" + name
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }  // gone already
        guard info.st_mode & S_IFMT == S_IFREG else { return "\(path): not a regular file; left alone" }
        if unlink(path) != 0 { return "\(path): cannot remove a file of the earlier dump: \(String(cString: strerror(errno)))" }
        return nil
    }

    /// Writes every file of a dump and its manifest into `directory`, which must be empty.
    static func render(state: ProjectionState, options: DumpOptions, into directory: String) throws -> DumpManifest {
        let formats = options.formats.isEmpty ? [DumpFormat.csv] : options.formats.sorted()
        let statistical = formats.filter { $0 == .spss || $0 == .stata }
        // Every table's rows, as the projections produce them: streamed as CSV for a dump of CSV
        // alone, else kept (`RowSpool`) for every format to write afterwards.
        // The participants table has a column per covariate of the projected log's codebook.
        let (result, tables, outputs) = try state.view(upto: options.upto) { view in
            let codebook = try view.codebook()
            let tables = DumpTables.tables(freeText: options.freeText, sequences: options.sequences, covariates: codebook.covariatesByName)
            let outputs = try tables.map { try TableOutput($0, formats: formats, directory: directory) }
            let result = try ProjectionTables.write(view, state: state, options: options, codebook: codebook,
                                                    into: Dictionary(uniqueKeysWithValues: outputs.map { ($0.table.name, $0) }), directory: directory)
            return (result, tables, outputs)
        }
        for output in outputs { try output.finish() }
        let spools = outputs.compactMap(\.spool)
        let (atUpto, appendedAtUpto, head) = try state.store.read { snapshot in
            let event = result.upto == 0 ? nil : try snapshot.event(at: result.upto)
            return (event?.hash ?? LogHead.emptyHash, event?.appendedMicros ?? 0, snapshot.head)
        }

        var produced = ["stats.json"]
        var tasks: [@Sendable () throws -> Void] = []
        for format in formats {
            switch format {
            case .csv:
                let created = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(appendedAtUpto / 1_000_000)))
                try DumpFile.write(DataPackage.json(tables: tables, study: options.study, created: created) + Data("\n".utf8), to: directory + "/datapackage.json")
                produced += tables.map(\.file) + ["datapackage.json"]
                // With other formats, the CSV is written from the spool too (else it was written as the rows came).
                for spool in spools {
                    tasks.append {
                        var sink = try CSVTableSink(spool.table, path: directory + "/" + spool.table.file)
                        try spool.feed(&sink)
                    }
                }
            case .jsonl:
                for spool in spools {
                    tasks.append {
                        var sink = try JSONLinesTableSink(spool.table, path: directory + "/" + format.file(of: spool.table))
                        try spool.feed(&sink)
                    }
                }
                produced += tables.map { format.file(of: $0) }
            case .sqlite:
                // The longest task, so it starts first.
                tasks.insert({ try SQLiteDump.write(tables: spools, to: directory + "/" + DumpFormat.sqliteFile) }, at: 0)
                produced.append(DumpFormat.sqliteFile)
            case .spss, .stata:
                produced += tables.map { format.file(of: $0) }
            case .xes, .ocel:
                break  // below, from the journeys
            }
        }
        produced += try ProcessLog.write(state: state, options: options, formats: formats, directory: directory)
        if !statistical.isEmpty {
            let labels = options.labels
            let timestamp = Int(appendedAtUpto / 1_000_000)
            // One task per table, so its profile is computed once for both.
            for spool in spools {
                tasks.append {
                    let profile = try StatisticalFile.Profile(spool)
                    for format in statistical {
                        try StatisticalFile.write(spool, profile: profile, kind: format == .spss ? .spss : .stata, labels: labels,
                                                  timestamp: timestamp, to: directory + "/" + format.file(of: spool.table))
                    }
                }
            }
        }
        try runConcurrently(tasks)

        // The digests: taken from the writers, or read on every core.
        let names = produced.sorted()
        let digests = DigestSlots(count: names.count)
        try runConcurrently(names.enumerated().map { i, name in
            {
                // Files this process wrote were hashed as they were written; others (SQLite's) are read.
                let path = directory + "/" + name
                digests.set(i, try WrittenDigests.shared.take(path) ?? DumpManifest.digest(of: path))
            }
        })
        let files = names.enumerated().map { i, name in
            DumpManifest.File(path: name, bytes: digests.get(i).bytes, sha256: digests.get(i).sha256)
        }
        let manifest = DumpManifest(
            software: SoftwareVersion.description,
            createdAt: ISO8601DateFormatter().string(from: Date()),
            commandLine: options.commandLine,
            store: state.store.directory,
            log: .init(upto: result.upto, hash: Hex.encode(atUpto), storeHead: head.seq, storeHeadHash: Hex.encode(head.hash)),
            options: .init(windowDays: options.windows.windowDays, followUpDays: options.windows.followUpDays, excludeWithdrawn: options.excludeWithdrawn,
                           formats: formats.map(\.rawValue), labels: options.labels.rawValue, study: options.study,
                           freeText: options.freeText ? true : nil, sequences: options.sequences ? true : nil,
                           episodeGapDays: options.windows.episodeGapDays,
                           recordedBy: options.recordedBy),
            participants: .init(included: result.participants, excludedWithdrawn: result.excludedWithdrawn),
            files: files
        )
        try DumpFile.write(manifest.json(), to: directory + "/" + DumpManifest.fileName)
        return manifest
    }

    /// Runs independent tasks on every core; rethrows the first error.
    private static func runConcurrently(_ tasks: [@Sendable () throws -> Void]) throws {
        let errors = ErrorSlot()
        let next = Counter()
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, tasks.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = next.take(below: tasks.count) {
                do { try tasks[i]() } catch { errors.record(error) }
            }
        }
        if let error = errors.first { throw error }
    }
}

/// The first error of concurrent tasks.
private final class ErrorSlot: Sendable {
    private let error = Mutex<(any Error)?>(nil)
    func record(_ e: any Error) { error.withLock { if $0 == nil { $0 = e } } }
    var first: (any Error)? { error.withLock { $0 } }
}

/// The digests of a dump's files, filled in by concurrent tasks.
private final class DigestSlots: Sendable {
    private let slots: Mutex<[(sha256: String, bytes: Int)]>
    init(count: Int) { slots = Mutex(Array(repeating: ("", 0), count: count)) }
    func set(_ i: Int, _ d: (sha256: String, bytes: Int)) { slots.withLock { $0[i] = d } }
    func get(_ i: Int) -> (sha256: String, bytes: Int) { slots.withLock { $0[i] } }
}

/// Hands out task numbers to workers.
private final class Counter: Sendable {
    private let value = Mutex(0)
    func take(below limit: Int) -> Int? {
        value.withLock { value in
            guard value < limit else { return nil }
            value += 1
            return value - 1
        }
    }
}
