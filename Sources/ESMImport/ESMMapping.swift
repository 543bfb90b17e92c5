import Foundation
import JourneyModel

/// A mapping of a questionnaire-app export (`Schemas/esm-mapping.schema.json`): which file is
/// which questionnaire, which column holds what, and how typed institution names resolve.
public struct ESMMapping: Decodable, Sendable {
    /// The session columns every questionnaire file has.
    public struct Columns: Decodable, Sendable {
        public let participant: String
        public let scheduled: String?
        public let prompted: String
        public let started: String?
        public let ended: String?
        public let recorded: String?
        public let expires: String?
        public let status: String
    }

    /// The answer columns of a retrospective or prospective questionnaire.
    public struct Answers: Decodable, Sendable {
        public let institution: String?
        public let date: String?
        public let summary: String?
        public let cameVia: String?
        public let needs: String?
        public let expectedFulfilment: String?
        /// The basic questionnaire's yes/no columns.
        public let contactLastWeek: String?
        public let contactNextWeek: String?
    }

    /// The words that answer yes and no.
    public struct YesNo: Decodable, Sendable {
        public let yes: [String]?
        public let no: [String]?
    }

    /// One questionnaire.
    public struct Questionnaire: Decodable, Sendable {
        public let file: String
        public let name: String?
        public let kind: String
        public let answers: Answers?
        public let statements: [String: String]?
        /// Every other answer kept: field name -> column.
        public let questions: [String: String]?
        /// Columns deliberately left out; every other column must be mapped.
        public let ignored: [String]?
        /// A prospective questionnaire: turn an answered "how did you get there?" into a referral
        /// (`ESMImporter`: the route rule).
        public let routesAsReferrals: Bool?

        /// The questionnaire's name: `name`, else the file name without `.csv`.
        public var displayName: String { name ?? (file.hasSuffix(".csv") ? String(file.dropLast(4)) : file) }
    }

    public let description: String?
    public let columns: Columns
    public let statuses: [String: String]?
    /// App id -> pseudonym. Identifying: it can live in its own file outside the store
    /// (`participantsFile`, or `import-esm --participants FILE`).
    public private(set) var participants: [String: String]?
    /// A file with the participants table (JSON object, or CSV of app id and pseudonym), relative
    /// to the mapping's folder.
    public let participantsFile: String?
    public let aliases: [String: String]?
    public let yesNo: YesNo?
    /// The study's time zone (IANA name; default `Europe/Amsterdam`): moments are written with
    /// the offset they had there, and weeks are its local weeks.
    public let timeZone: String?
    /// Column -> the pattern of its dates or date-times (`DD-MM-YYYY`, `D-M-YYYY HH:mm`...).
    public let formats: [String: String]?
    public let questionnaires: [Questionnaire]

    /// The clock of the study: its zone and the columns' formats.
    var clock: StudyClock {
        StudyClock(zone: TimeZone(identifier: timeZone ?? StudyClock.defaultZone) ?? TimeZone(identifier: "UTC")!, formats: formats ?? [:])
    }

    /// `text` as a yes (true) or no (false) answer, or `nil` if it is neither.
    func yesNo(_ text: String) -> Bool? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if (yesNo?.yes ?? ["ja", "yes", "true", "1"]).contains(where: { $0.lowercased() == t }) { return true }
        if (yesNo?.no ?? ["nee", "no", "false", "0"]).contains(where: { $0.lowercased() == t }) { return false }
        return nil
    }

    /// Reads and checks a mapping file (with `participantsPath`, the participants table from that
    /// file instead); errors name the file and the field.
    public static func load(_ path: String, participantsPath: String? = nil) throws -> ESMMapping {
        guard let data = FileManager.default.contents(atPath: path) else { throw ESMError("\(path): cannot read the mapping") }
        let mapping: ESMMapping
        do {
            mapping = try JSONDecoder().decode(ESMMapping.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw ESMError("\(path): \((context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")) is missing")
        } catch let DecodingError.typeMismatch(_, context) {
            throw ESMError("\(path): \(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)")
        } catch {
            throw ESMError("\(path): not a mapping: \(error)")
        }
        var loaded = mapping
        let tablePath = participantsPath ?? mapping.participantsFile.map { file in
            file.hasPrefix("/") ? file : (path as NSString).deletingLastPathComponent + "/" + file
        }
        if let tablePath {
            if participantsPath == nil, mapping.participants != nil {
                throw ESMError("\(path): give participants or participantsFile, not both")
            }
            loaded.participants = try Self.participantsTable(tablePath)
        }
        try loaded.check(path)
        return loaded
    }

    /// A participants table: a JSON object of app id -> pseudonym, or a CSV whose rows are app
    /// id, pseudonym (a header row naming them is skipped).
    static func participantsTable(_ path: String) throws -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ESMError("\(path): cannot read the participants table") }
        if let object = try? JSONSerialization.jsonObject(with: data) {
            guard let table = object as? [String: String] else { throw ESMError("\(path): the participants table must map app ids to pseudonyms") }
            return table
        }
        var table: [String: String] = [:]
        let csv = try AppCSV(file: path, text: String(decoding: data, as: UTF8.self), headerless: true)
        for row in csv.rows {
            guard row.fields.count == 2 else { throw ESMError("\(path):\(row.line): a row of the participants table is app id, pseudonym") }
            let id = row.fields[0].trimmingCharacters(in: .whitespaces), pseudonym = row.fields[1].trimmingCharacters(in: .whitespaces)
            if row.line == 1 && !Identifier.matches(pseudonym) { continue }  // a header
            guard table.updateValue(pseudonym, forKey: id) == nil else { throw ESMError("\(path):\(row.line): app id \"\(id)\" is listed twice") }
        }
        return table
    }

    private func check(_ path: String) throws {
        if questionnaires.isEmpty { throw ESMError("\(path): questionnaires: name at least one") }
        if TimeZone(identifier: timeZone ?? StudyClock.defaultZone) == nil {
            throw ESMError("\(path): timeZone: \"\(timeZone ?? "")\" is not an IANA time zone (like Europe/Amsterdam)")
        }
        for (column, pattern) in (formats ?? [:]).sorted(by: { $0.key < $1.key }) where !StudyClock.isPattern(pattern) {
            throw ESMError("\(path): formats.\(column): \"\(pattern)\" is not a date pattern (YYYY, MM or M, DD or D, HH, mm, ss and separators)")
        }
        var files: Set<String> = []
        for (i, q) in questionnaires.enumerated() {
            guard QuestionnaireKind(rawValue: q.kind) != nil else {
                throw ESMError("\(path): questionnaires[\(i)].kind: \"\(q.kind)\" is not registration, basic, retrospective or prospective")
            }
            guard files.insert(q.file).inserted else { throw ESMError("\(path): questionnaires[\(i)].file: \(q.file) is mapped twice") }
            if q.routesAsReferrals == true && (q.kind != "prospective" || q.answers?.cameVia == nil) {
                throw ESMError("\(path): questionnaires[\(i)].routesAsReferrals: only a prospective questionnaire with answers.cameVia has routes")
            }
            for field in (q.questions ?? [:]).keys.sorted() where !Identifier.matches(field) {
                throw ESMError("\(path): questionnaires[\(i)].questions.\(field): a field name is 1-64 of A-Z a-z 0-9 . _ -")
            }
            if q.kind == "retrospective" || q.kind == "prospective" {
                guard q.answers?.institution != nil, q.answers?.date != nil else {
                    throw ESMError("\(path): questionnaires[\(i)] (\(q.file)): a \(q.kind) questionnaire needs answers.institution and answers.date")
                }
            }
        }
        for (value, status) in statuses ?? [:] where SessionStatus(rawValue: status) == nil {
            throw ESMError("\(path): statuses.\(value): \"\(status)\" is not completed, partial, expired, unanswered or canceled")
        }
        for (id, pseudonym) in participants ?? [:] where !Identifier.matches(pseudonym) {
            throw ESMError("\(path): participants.\(id): \"\(pseudonym)\" is not a pseudonym (1-64 of A-Z a-z 0-9 . _ -)")
        }
        for (name, id) in aliases ?? [:] where !Identifier.matches(id) {
            throw ESMError("\(path): aliases.\(name): \"\(id)\" is not an institution id")
        }
    }

    /// The alias table with lower-cased, trimmed keys.
    var normalisedAliases: [String: String] {
        Dictionary((aliases ?? [:]).map { (Self.normalise($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    static func normalise(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

/// An export or mapping that cannot be imported.
public struct ESMError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
