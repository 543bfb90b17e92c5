import Foundation
import JourneyModel
import Projections

/// Computes every projection into the tables of a dump (contract 3) - their rows into each
/// table's `TableOutput`, which hands them to every format's sink - and writes `stats.json`.
enum ProjectionTables {
    /// What was written.
    struct Result {
        let upto: UInt64
        let participants: Int
        let excludedWithdrawn: Int
    }

    /// Hands every table's rows to its output (`outputs`, one per table of the dump, by name) and
    /// writes `stats.json` into `directory`.
    static func write(
        _ view: borrowing ProjectionView, state: ProjectionState, options: DumpOptions, codebook: Codebook, into outputs: [String: TableOutput],
        directory: String
    ) throws -> Result {
        func output(_ table: DumpTables.Table) -> TableOutput { outputs[table.name]! }

        let participants = try view.participants()
        let codings = try view.codings()
        var tally = CohortStats.Tally(directory: codings, codebook: codebook)
        var items: [(String, String, PairItem)] = []
        var network = ReferralNetwork()
        var reach = InstitutionReach()

        let setting = DumpBatch.Setting(forms: outputs.mapValues(\.form), covariates: codebook.covariatesByName.map(\.name), codebook: codebook,
                                        codings: codings)
        // Blocks of 4,096 participants when the rows go straight out as CSV (fewer, larger
        // batches); of 1,024 when they are kept as fields for other formats, whose batches are
        // larger and held longer (at 10M every format: 603 MB of heap against 876 MB).
        let blockSize = outputs.values.contains { $0.form.fields } ? 1024 : 4096
        // The rules read the compact journey; the rows copy its texts as written.
        let excluded = try CohortRun.eachBatch(state, upto: view.upto, participants: participants, form: .dump, windows: options.windows,
                                               excludeWithdrawn: options.excludeWithdrawn, blockSize: blockSize,
                                               batch: { DumpBatch(setting) }, render: { batch, projection in
            batch.add(projection)
        }, consume: { batch in
            for (table, rows) in batch.tables { try output(table).append(rows) }
            // By index: the summaries are borrowed, not copied.
            for i in batch.summaries.indices {
                tally.add(batch.summaries[i])
                reach.add(batch.summaries[i].facts)
            }
            items.append(contentsOf: batch.items)
            for i in batch.edges.indices { network.add(batch.edges[i]) }
        })
        var institutionRows = TableRows(output(DumpTables.institutions).form), categoryRows = TableRows(output(DumpTables.institutionCategories).form)
        let institutionIDs = Set(codings.codings.keys).union(reach.mentioning.keys)
        for id in institutionIDs.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let categories = codings.categories(of: id)
            institutionRows.row([
                id, codings.name(of: id), codings.chain(of: id), categories.joined(separator: ";"),
                codings.levels(of: id).joined(separator: ";"), codings.levelClass(of: id),
                String(reach.mentioning[id] ?? 0), String(reach.contacting[id] ?? 0), codings.kind(of: id)?.rawValue,
                codings.coders(of: id).joined(separator: ";"), codings.disputed.contains(id) ? "true" : "false",
            ])
            for category in categories {
                categoryRows.row([id, category, Taxonomy.shared.category(category)?.chain])
            }
        }
        try output(DumpTables.institutions).append(institutionRows)

        var codingRows = TableRows(output(DumpTables.codings).form)
        for id in codings.records.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            // By the first columns (contract 4.5): institution, then event id.
            for r in codings.records[id]!.sorted(by: { $0.eventId.utf8.lexicographicallyPrecedes($1.eventId.utf8) }) {
                codingRows.row([id, r.eventId, r.coder, r.at, r.consensus ? "true" : "false", r.current ? "true" : "false", r.coding.kind?.rawValue,
                                r.coding.categories.sorted().joined(separator: ";"), r.coding.levels.map(\.rawValue).sorted().joined(separator: ";")])
            }
        }
        try output(DumpTables.codings).append(codingRows)
        var agreementRows = TableRows(output(DumpTables.agreement).form)
        for row in Agreement.rows(codings) {
            agreementRows.field(row.dimension)
            agreementRows.field(row.coders)
            agreementRows.field(row.units)
            for value in [row.observedAgreement, row.alpha, row.kappa] { agreementRows.field(value.map { "\($0)" }) }
            agreementRows.endRow()
        }
        try output(DumpTables.agreement).append(agreementRows)
        try output(DumpTables.institutionCategories).append(categoryRows)

        // Event ids are ASCII (contract 1.2), so `<` is their byte order; statement items may
        // be any text and are compared by their UTF-8 bytes.
        items.sort { a, b in
            if a.0 != b.0 { return a.0 < b.0 }
            if a.1 != b.1 { return a.1 < b.1 }
            return a.2.item.utf8.lexicographicallyPrecedes(b.2.item.utf8)
        }
        var itemRows = TableRows(output(DumpTables.pairItems).form)
        for (e, x, item) in items {
            itemRows.row([e, x, item.item, String(item.expected), String(item.experienced), String(item.delta)])
        }
        try output(DumpTables.pairItems).append(itemRows)

        var networkRows = TableRows(output(DumpTables.referralNetwork).form)
        for edge in network.edges {
            networkRows.row([edge.from, edge.to, String(edge.referrals), String(edge.refused), String(edge.participants)])
        }
        try output(DumpTables.referralNetwork).append(networkRows)

        let stats = tally.stats()
        var covariateRows = TableRows(output(DumpTables.covariates).form)
        for c in codebook.covariatesByName {
            covariateRows.row([c.name, c.kind.rawValue, c.label, c.labelNl, c.categories.map(\.code).joined(separator: ";")])
        }
        try output(DumpTables.covariates).append(covariateRows)

        var professionalRows = TableRows(output(DumpTables.professionals).form)
        // By their first column (contract 4.5): the codes in byte order.
        for p in stats.professionals.sorted(by: { $0.group.rawValue.utf8.lexicographicallyPrecedes($1.group.rawValue.utf8) }) {
            professionalRows.row([p.group.rawValue, p.group.chain, String(p.participants), String(p.contacts), String(p.unnamedContacts)])
        }
        try output(DumpTables.professionals).append(professionalRows)

        try DumpFile.write(Data(stats.json().utf8), to: directory + "/stats.json")
        return Result(upto: view.upto, participants: stats.participants, excludedWithdrawn: excluded)
    }
}
