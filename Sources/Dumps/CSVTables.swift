import Foundation
import JourneyModel
import Projections

/// Computes every projection and writes the CSV tables and `stats.json` of a dump (contract 3).
/// The CSV files are also what the other formats are converted from.
enum CSVTables {
    /// What was written.
    struct Result {
        let upto: UInt64
        let participants: Int
        let excludedWithdrawn: Int
    }

    /// Writes `<table>.csv` for every table and `stats.json` into `directory`.
    static func write(
        _ view: borrowing ProjectionView, state: ProjectionState, options: DumpOptions, into directory: String
    ) throws -> Result {
        func path(_ table: DumpTables.Table) -> String { directory + "/" + table.file }
        let participantsCSV = try CSVWriter(path: path(DumpTables.participants), header: DumpTables.participants.header)
        let timelineCSV = try CSVWriter(path: path(DumpTables.timeline), header: DumpTables.timeline.header)
        let pairsCSV = try CSVWriter(path: path(DumpTables.pairs), header: DumpTables.pairs.header)
        let referralsCSV = try CSVWriter(path: path(DumpTables.referrals), header: DumpTables.referrals.header)
        let complianceCSV = try CSVWriter(path: path(DumpTables.compliance), header: DumpTables.compliance.header)

        let participants = try view.participants()
        let codings = try view.codings()
        var tally = CohortStats.Tally(directory: codings)
        var items: [(String, String, PairItem)] = []
        var network = ReferralNetwork()
        var reach = InstitutionReach()
        var excluded = 0
        let excludeWithdrawn = options.excludeWithdrawn

        // The rules read the compact journey; the rows copy its texts as written.
        try CohortRun.each(state, upto: view.upto, participants: participants, form: .dump, windows: options.windows, render: { projection in
            if excludeWithdrawn, projection.facts.exitReason == .withdrew { return ParticipantDump?.none }
            return ParticipantDump(projection)
        }, consume: { _, dumped in
            guard let d = dumped else {
                excluded += 1
                return
            }
            tally.add(d.facts)
            reach.add(d.facts)
            try participantsCSV.raw(d.participantRow)
            try timelineCSV.raw(d.timeline)
            try pairsCSV.raw(d.pairs)
            try referralsCSV.raw(d.referrals)
            try complianceCSV.raw(d.compliance)
            items.append(contentsOf: d.items)
            for edge in d.edges { network.add(edge) }
        })
        try participantsCSV.close()
        try timelineCSV.close()
        try pairsCSV.close()
        try referralsCSV.close()
        try complianceCSV.close()

        let institutionsCSV = try CSVWriter(path: path(DumpTables.institutions), header: DumpTables.institutions.header)
        let categoriesCSV = try CSVWriter(path: path(DumpTables.institutionCategories), header: DumpTables.institutionCategories.header)
        let institutionIDs = Set(codings.codings.keys).union(reach.mentioning.keys)
        for id in institutionIDs.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let categories = codings.categories(of: id)
            try institutionsCSV.row([
                id, codings.name(of: id), codings.chain(of: id), categories.joined(separator: ";"),
                codings.levels(of: id).joined(separator: ";"), codings.levelClass(of: id),
                String(reach.mentioning[id] ?? 0), String(reach.contacting[id] ?? 0),
            ])
            for category in categories {
                try categoriesCSV.row([id, category, Taxonomy.shared.category(category)?.chain])
            }
        }
        try institutionsCSV.close()
        try categoriesCSV.close()

        let itemsCSV = try CSVWriter(path: path(DumpTables.pairItems), header: DumpTables.pairItems.header)
        // Event ids are ASCII (contract 1.2), so `<` is their byte order; statement items may
        // be any text and are compared by their UTF-8 bytes.
        items.sort { a, b in
            if a.0 != b.0 { return a.0 < b.0 }
            if a.1 != b.1 { return a.1 < b.1 }
            return a.2.item.utf8.lexicographicallyPrecedes(b.2.item.utf8)
        }
        for (e, x, item) in items {
            try itemsCSV.row([e, x, item.item, String(item.expected), String(item.experienced), String(item.delta)])
        }
        try itemsCSV.close()

        let networkCSV = try CSVWriter(path: path(DumpTables.referralNetwork), header: DumpTables.referralNetwork.header)
        for edge in network.edges {
            try networkCSV.row([edge.from, edge.to, String(edge.referrals), String(edge.refused), String(edge.participants.count)])
        }
        try networkCSV.close()

        let stats = tally.stats()
        try DumpFile.write(Data(stats.json().utf8), to: directory + "/stats.json")
        return Result(upto: view.upto, participants: stats.participants, excludedWithdrawn: excluded)
    }
}
