import Foundation
import JourneyModel
import JourneyStore

/// `journey import-esm`: reads a questionnaire-app export through a mapping and appends its
/// sessions and answers to the store - all of it, or nothing when anything is wrong.
public enum ESMImporter {
    /// What an import did.
    public struct Report: Sendable {
        public let sessions: Int
        public let events: Int
        public let appended: Int
        public let duplicates: Int
        public let seqRange: ClosedRange<UInt64>?
        /// Routes turned into referrals, and routes left out as already entered by hand.
        public let routes: Int
        public let routesAlreadyEntered: Int
        /// Events a later export changed: each retracted and appended again as a new version.
        public let corrections: Int
    }

    /// Everything wrong with an export, one `FILE:ROW: column "C": reason` each; nothing was appended.
    public struct Rejected: Error, CustomStringConvertible, Sendable {
        public let errors: [String]
        /// True when the store recorded the rejection in its audit trail itself.
        public var recorded = false
        public var description: String { errors.joined(separator: "\n") }
    }

    /// Converts `export` (a folder, .zip or .csv) with the mapping at `mappingPath` and imports it;
    /// the import writes `audit` (with `export`, `mapping` and the counts) with what it commits.
    public static func run(export: String, mappingPath: String, participantsPath: String? = nil, into store: EventStore,
                           audit: AuditRequest = AuditRequest(action: "import-esm")) throws -> Report {
        let mapping = try ESMMapping.load(mappingPath, participantsPath: participantsPath)
        let files = try AppExport.files(export)
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: export, isDirectory: &isDirectory)
        let label: (String) -> String = isDirectory.boolValue ? { export + "/" + $0 }
            : export.lowercased().hasSuffix(".zip") ? { export + ":" + $0 } : { _ in export }
        var converter = SessionConverter(mapping: mapping) { participant in
            (try? referrals(of: participant, in: store)) ?? []
        }
        converter.convert(files: files, label: label)
        if !converter.errors.isEmpty { throw Rejected(errors: converter.errors) }

        // The app exports everything so far every time: what is in the store already is skipped,
        // and what changed since (a session's status, its answers) is corrected, not overwritten.
        let (lines, corrections) = try corrected(converter.lines, in: store)

        // Imported from memory: the converted events never lie on disk outside the store.
        var options = ImportOptions()
        options.audit = audit
        options.audit.detail.merge(["export": export, "mapping": mappingPath, "sessions": String(converter.sessions)]) { given, _ in given }
        let report = try store.importData(Array(lines.map { $0.json + "\n" }.joined().utf8), name: export, options: options)
        guard report.succeeded else {
            // The store refused an event the conversion made: say which row it came from.
            throw Rejected(errors: report.errors.map { error in
                let source = error.line >= 1 && error.line <= lines.count ? lines[error.line - 1] : nil
                return source.map { "\($0.file):\($0.row): \(error.message)" } ?? error.message
            }, recorded: true)
        }
        return Report(sessions: converter.sessions, events: converter.lines.count, appended: report.appended,
                      duplicates: report.duplicates, seqRange: report.seqRange, routes: converter.routes,
                      routesAlreadyEntered: converter.routesAlreadyEntered, corrections: corrections)
    }

    /// The lines to import for `lines` given what the store holds: a line whose event (the
    /// latest version of its id: `ID`, `ID:v2`, `ID:v3`...) is stored with the same content is left
    /// out; one stored with other content becomes a retraction of the stored version and the new
    /// content as the next version (`Schemas/STUDY-DATA.md`). Returns the lines and how many
    /// events were corrected.
    static func corrected(_ lines: [SessionConverter.Line], in store: EventStore) throws -> ([SessionConverter.Line], Int) {
        var out: [SessionConverter.Line] = []
        var corrections = 0
        try store.read { snapshot in
            for line in lines {
                guard !line.id.isEmpty, var seq = try snapshot.seq(ofId: line.id) else {
                    out.append(line)
                    continue
                }
                var current = line.id, version = 2
                while let next = try snapshot.seq(ofId: "\(line.id):v\(version)") {
                    seq = next
                    current = "\(line.id):v\(version)"
                    version += 1
                }
                guard let stored = try snapshot.event(at: seq), !stored.isForgotten else { continue }
                if sameContent(stored.json, Array(line.json.utf8)) {
                    // Unchanged: the store counts it as a duplicate of its current version.
                    out.append(line.renamed(current))
                    continue
                }
                var retraction = JSONLine.event(id: current + ":corrected", type: EventType.eventRetracted.name, participant: line.participant,
                                                at: String(ISO8601DateFormatter().string(from: Date()).prefix(10)), source: "esm")
                var data = JSONLine()
                data.add("event", current)
                data.add("reason", "a later export of the app changed it (\(line.file) row \(line.row))")
                retraction.add("data", object: data)
                out.append(SessionConverter.Line(json: retraction.line, file: line.file, row: line.row, participant: line.participant))
                out.append(line.renamed("\(line.id):v\(version)"))
                corrections += 1
            }
        }
        return (out, corrections)
    }

    /// True if two events' JSON say the same apart from their ids.
    private static func sameContent(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard case .object(var x)? = try? JSONValue.parse(a), case .object(var y)? = try? JSONValue.parse(b) else { return false }
        x["id"] = nil
        y["id"] = nil
        return x == y
    }

    /// The participant's non-retracted referrals in the store, as the route rule compares them.
    static func referrals(of participant: String, in store: EventStore) throws -> [SessionConverter.Route] {
        let events = try store.read { snapshot in
            try snapshot.events(ofParticipant: participant).compactMap { stored in
                stored.isForgotten ? nil : try? EventParser.parse(stored.json)
            }
        }
        var retracted: Set<String> = []
        for e in events { if case .retracted(let r) = e.payload { retracted.insert(r.event) } }
        return events.compactMap { e in
            guard case .referral(let r) = e.payload, !retracted.contains(e.id) else { return nil }
            return SessionConverter.Route(from: r.from, to: r.to, day: e.at.date.daysSinceEpoch)
        }
    }
}
