import Foundation
import JourneyModel

/// `datapackage.json`: a Frictionless Data Package describing every CSV of a dump - field types,
/// descriptions, primary and foreign keys, and for coded fields their `categories` (value and
/// label) and an `enum` constraint, so `frictionless validate` checks the values too.
enum DataPackage {
    /// The resource name of a table: its own name, as its file and SQLite table are called.
    static func resourceName(_ table: String) -> String { table }

    /// The data package of a dump with `study`'s metadata, made at the time of the log position
    /// it reflects (`created`, RFC 3339 UTC: the same log gives the same file).
    static func json(tables: [DumpTables.Table], study: StudyMetadata = StudyMetadata(), created: String) throws -> Data {
        let resources: [[String: Any]] = tables.map { table in
            var schema: [String: Any] = [
                "fields": table.fields.map(field),
                "missingValues": [""],
            ]
            if !table.primaryKey.isEmpty { schema["primaryKey"] = table.primaryKey }
            if !table.foreignKeys.isEmpty {
                schema["foreignKeys"] = table.foreignKeys.map { key in
                    ["fields": key.fields, "reference": ["resource": resourceName(key.table), "fields": key.reference]] as [String: Any]
                }
            }
            return [
                "name": resourceName(table.name),
                "path": table.file,
                "profile": "tabular-data-resource",
                "description": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": ["delimiter": ",", "lineTerminator": "\r\n", "header": true, "doubleQuote": true],
                "schema": schema,
            ]
        }
        let license: [String: String] = study.license.map { ["name": $0, "path": "https://spdx.org/licenses/\($0).html"] }
            ?? ["name": "other-closed", "title": "Not open data: shared under the study's data-access agreement"]
        let package: [String: Any] = [
            "profile": "tabular-data-package",
            "name": "journeystore-dump",
            "title": study.title,
            "description": study.description,
            "licenses": [license],
            "contributors": study.contributors.map { ["title": $0.title, "role": $0.role] },
            "created": created,
            "x-software": SoftwareVersion.description,
            "resources": resources,
        ]
        return try JSONSerialization.data(withJSONObject: package, options: [.prettyPrinted, .sortedKeys])
    }

    private static func field(_ field: DumpTables.Field) -> [String: Any] {
        var json: [String: Any] = ["name": field.name, "type": field.type.rawValue, "description": field.description, "title": field.label]
        if field.freeText { json["x-free-text"] = true }
        if field.type == .boolean {
            json["trueValues"] = ["true"]
            json["falseValues"] = ["false"]
        } else if let set = field.values {
            json["categories"] = set.values.map { v -> [String: Any] in
                var category: [String: Any] = ["value": v.value, "label": v.en]
                if let nl = v.nl { category["label_nl"] = nl }
                return category
            }
            json["constraints"] = ["enum": set.values.map(\.value)]
        }
        return json
    }
}
