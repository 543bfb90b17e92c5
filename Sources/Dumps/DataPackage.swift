import Foundation

/// `datapackage.json`: a Frictionless Data Package describing every CSV of a dump.
enum DataPackage {
    static func json() throws -> Data {
        let resources: [[String: Any]] = DumpTables.all.map { table in
            [
                "name": table.name.replacingOccurrences(of: "_", with: "-"),
                "path": table.file,
                "profile": "tabular-data-resource",
                "description": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": ["delimiter": ",", "lineTerminator": "\r\n", "header": true, "doubleQuote": true],
                "schema": [
                    "fields": table.fields.map { ["name": $0.name, "type": $0.type, "description": $0.description] },
                    "missingValues": [""],
                ] as [String: Any],
            ]
        }
        let package: [String: Any] = [
            "profile": "tabular-data-package",
            "name": "journeystore-dump",
            "title": "JourneyStore projections",
            "description": "Projections of a JourneyStore event log: participants, institutions, timeline, expectation-experience pairs and the referral audit.",
            "resources": resources,
        ]
        return try JSONSerialization.data(withJSONObject: package, options: [.prettyPrinted, .sortedKeys])
    }
}
