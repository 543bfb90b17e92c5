import Crypto
import Foundation
import JourneyStore

/// `manifest.json`: which data a dump holds - the log position it reflects with that event's
/// hash (the hash chain makes it stand for the whole log up to there), the store's head at the
/// time, the options and command line, and the SHA-256 of every file - so a paper can cite
/// exactly what it used and `journey dump --check` can tell whether a dump still matches.
public struct DumpManifest: Codable, Sendable, Equatable {
    /// One file of the dump.
    public struct File: Codable, Sendable, Equatable {
        public let path: String
        public let bytes: Int
        public let sha256: String
    }

    /// The log a dump reflects.
    public struct Log: Codable, Sendable, Equatable {
        /// The dump reflects the log up to this seq.
        public let upto: UInt64
        /// The hash of the event at `upto` (all zeros for an empty log).
        public let hash: String
        /// The store's head when the dump was made.
        public let storeHead: UInt64
        public let storeHeadHash: String
    }

    /// The options that shape a dump's content.
    public struct Options: Codable, Sendable, Equatable {
        public let windowDays: Int
        public let followUpDays: Int
        public let excludeWithdrawn: Bool
        public let formats: [String]
        public let labels: String
        /// The data package's metadata, so `dump --check` writes it again; absent in manifests of
        /// versions before.
        public var study: StudyMetadata?
        /// True if `texts.csv` was written (`dump --free-text`); absent before.
        public var freeText: Bool?
        /// True if the sequence tables were written (`dump --sequences`); absent before.
        public var sequences: Bool?
        /// `--episode-gap-days` (absent before it existed: the default).
        public var episodeGapDays: Int?
        /// `--recorded-by`, as given (absent when not given).
        public var recordedBy: String?
    }

    /// Participants in the dump and those left out.
    public struct Participants: Codable, Sendable, Equatable {
        public let included: Int
        public let excludedWithdrawn: Int
    }

    public var format = "journeystore-dump/1"
    /// The software that wrote it (`journey 0.11.0`); absent in manifests of versions before.
    public var software: String?
    public let createdAt: String
    public let commandLine: [String]
    public let store: String
    public let log: Log
    public let options: Options
    public let participants: Participants
    public let files: [File]

    /// The file name of a manifest inside a dump.
    public static let fileName = "manifest.json"

    /// Reads `directory/manifest.json`.
    public static func read(from directory: String) throws -> DumpManifest {
        let path = directory + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DumpError("\(path): no manifest here; is \(directory) a dump written by journey dump?")
        }
        do {
            return try JSONDecoder().decode(DumpManifest.self, from: data)
        } catch {
            throw DumpError("\(path): not a dump manifest: \(error)")
        }
    }

    /// The manifest as pretty, key-sorted JSON.
    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// The SHA-256 (hex) and size of a file.
    static func digest(of path: String) throws -> (sha256: String, bytes: Int) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DumpError("\(path): cannot read the file") }
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes = 0
        while true {
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { break }
            bytes += chunk.count
            hasher.update(data: chunk)
        }
        return (Hex.encode(hasher.finalize().withUnsafeBytes { Array($0) }), bytes)
    }
}
