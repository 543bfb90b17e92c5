import ArgumentParser
import Foundation
import JourneyModel
import Projections

/// `journey codings`
struct CodingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codings",
        abstract: "Every coded institution with its coders' current codings side by side, the disputes and the consensus.",
        discussion: "An institution is disputed when it has no consensus (institution.agreed) and two coders' current codings differ (contract 4.1). journey agree records a consensus."
    )

    @Flag(help: "Only the disputed institutions.") var disputed = false
    @OptionGroup var options: ProjectionOptions

    struct Coding: Encodable {
        let by: String
        let eventId: String
        let at: String
        let categories: [String]
        let levels: [String]
        let kind: String?
    }

    struct Row: Encodable {
        let institution: String
        let name: String?
        let disputed: Bool
        let coders: [Coding]
        let consensus: Coding?
        let current: String
    }

    func run() throws {
        let state = try options.open()
        let directory = try state.view(upto: options.upto) { try $0.codings() }
        var rows: [Row] = []
        for id in directory.records.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let isDisputed = directory.disputed.contains(id)
            if disputed && !isDisputed { continue }
            let records = directory.records[id]!
            func coding(_ r: CodingRecord) -> Coding {
                Coding(by: r.coder, eventId: r.eventId, at: r.at, categories: r.coding.categories.sorted(),
                       levels: r.coding.levels.map(\.rawValue).sorted(), kind: r.coding.kind?.rawValue)
            }
            // Each coder's current coding: their latest (records are by time).
            var latest: [String: CodingRecord] = [:]
            for r in records where !r.consensus { latest[r.coder] = r }
            let coders = latest.values.sorted { $0.coder.utf8.lexicographicallyPrecedes($1.coder.utf8) }.map(coding)
            rows.append(Row(institution: id, name: directory.name(of: id), disputed: isDisputed, coders: coders,
                            consensus: records.last(where: \.consensus).map(coding), current: records.first(where: \.current)!.eventId))
        }
        if options.format == .json {
            try printJSON(rows)
            return
        }
        print("\(rows.count) \(disputed ? "disputed " : "")institutions; \(directory.disputed.count) disputed in all.")
        for row in rows {
            print("\n\(row.institution)\(row.name.map { " (\($0))" } ?? "")\(row.disputed ? "  DISPUTED" : "")")
            for c in row.coders {
                print("  \((c.by.isEmpty ? "(no coder)" : c.by).padded(to: 14)) \(describe(c))")
            }
            if let c = row.consensus { print("  \("consensus".padded(to: 14)) \(describe(c))  (\(c.by.isEmpty ? "no name" : "by \(c.by)"), \(c.at))") }
        }
    }

    private func describe(_ c: Coding) -> String {
        "\(c.categories.joined(separator: ", ")) | \(c.levels.joined(separator: ", "))\(c.kind.map { " | \($0)" } ?? "")  [\(c.eventId), \(c.at)]"
    }
}
