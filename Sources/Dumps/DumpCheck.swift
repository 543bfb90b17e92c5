import Foundation
import JourneyModel
import JourneyStore
import Projections

/// `journey dump --check DIR`: does a dump still match its manifest and the store?
///
/// Three questions, each answered separately: are the files as the manifest lists them (nothing
/// edited, nothing missing); does the store still hold the log the dump reflects (the hash of the
/// event at the dump's log position is unchanged); and does dumping that log again with the same
/// options give the same bytes, file by file.
public enum DumpCheck {
    /// What the check found.
    public struct Report: Sendable {
        public let manifest: DumpManifest
        /// Everything that does not match, one sentence each; empty when the dump matches.
        public let problems: [String]
        public var matches: Bool { problems.isEmpty }
    }

    public static func run(state: ProjectionState, directory: String) throws -> Report {
        let manifest = try DumpManifest.read(from: directory)
        var problems: [String] = []
        for file in manifest.files {
            let path = directory + "/" + file.path
            guard FileManager.default.fileExists(atPath: path) else {
                problems.append("\(file.path): missing")
                continue
            }
            let (sha, bytes) = try DumpManifest.digest(of: path)
            if sha != file.sha256 { problems.append("\(file.path): changed since the dump (\(bytes) bytes, SHA-256 \(sha.prefix(12))..., manifest \(file.sha256.prefix(12))...)") }
        }

        let upto = manifest.log.upto
        let hash = try state.store.read { snapshot -> [UInt8]? in
            guard upto <= snapshot.head.seq else { return nil }
            return upto == 0 ? LogHead.emptyHash : try snapshot.event(at: upto)?.hash
        }
        guard let hash else {
            problems.append("the store's log ends before seq \(upto), the position the dump reflects")
            return Report(manifest: manifest, problems: problems)
        }
        guard Hex.encode(hash) == manifest.log.hash else {
            problems.append("the store's log up to seq \(upto) differs from the one dumped (hash \(Hex.encode(hash).prefix(12))..., manifest \(manifest.log.hash.prefix(12))...)")
            return Report(manifest: manifest, problems: problems)
        }

        var options = DumpOptions()
        options.upto = upto
        options.windows = ProjectionWindows(windowDays: manifest.options.windowDays, followUpDays: manifest.options.followUpDays,
                                            episodeGapDays: manifest.options.episodeGapDays ?? ContractDefaults.episodeGapDays)
        if let recordedBy = manifest.options.recordedBy {
            guard let instant = Moment(recordedBy)?.instant else {
                throw DumpError("\(directory)/\(DumpManifest.fileName): recordedBy \"\(recordedBy)\" is not an RFC 3339 date-time")
            }
            options.windows.recordedBy = instant
            options.recordedBy = recordedBy
        }
        options.excludeWithdrawn = manifest.options.excludeWithdrawn
        options.labels = LabelLanguage(rawValue: manifest.options.labels) ?? .en
        if let study = manifest.options.study { options.study = study }
        options.freeText = manifest.options.freeText ?? false
        options.sequences = manifest.options.sequences ?? false
        options.formats = Set(try manifest.options.formats.map { name in
            guard let format = DumpFormat(rawValue: name) else { throw DumpError("\(directory)/\(DumpManifest.fileName): unknown format \(name)") }
            return format
        })
        let scratch = NSTemporaryDirectory() + "/journey-dump-check-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let again = try Dump.render(state: state, options: options, into: scratch)
        let recorded = Dictionary(uniqueKeysWithValues: manifest.files.map { ($0.path, $0.sha256) })
        for file in again.files {
            guard let sha = recorded[file.path] else {
                problems.append("\(file.path): dumping the log again writes this file, the manifest does not list it")
                continue
            }
            if sha != file.sha256 {
                let writer = manifest.software ?? "a journey before 0.11.0"
                let versions = writer == SoftwareVersion.description ? "" : " (written by \(writer), checked with \(SoftwareVersion.description))"
                problems.append("\(file.path): dumping the log again gives different content\(versions)")
            }
        }
        for file in manifest.files where !again.files.contains(where: { $0.path == file.path }) {
            problems.append("\(file.path): listed in the manifest, not written when dumping the log again")
        }
        return Report(manifest: manifest, problems: problems)
    }
}
