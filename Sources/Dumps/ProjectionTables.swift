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
        let participantsRows = output(DumpTables.participants), timelineRows = output(DumpTables.timeline)
        let pairsRows = output(DumpTables.pairs), referralsRows = output(DumpTables.referrals)
        let complianceRows = output(DumpTables.compliance), kindRows = output(DumpTables.participantKinds)
        let episodeRows = output(DumpTables.episodes)
        let spellRows = outputs[DumpTables.spells.name], weekRows = outputs[DumpTables.sequenceWeeks.name]

        let participants = try view.participants()
        let codings = try view.codings()
        var tally = CohortStats.Tally(directory: codings, codebook: codebook)
        var items: [(String, String, PairItem)] = []
        var network = ReferralNetwork()
        var reach = InstitutionReach()

        let perParticipant = [participantsRows, timelineRows, pairsRows, referralsRows, complianceRows, output(DumpTables.statements),
                              output(DumpTables.needs), output(DumpTables.complianceKinds)] + (options.freeText ? [output(DumpTables.texts)] : [])
        let covariateNames = codebook.covariatesByName.map(\.name)
        let shelters = codings.institutions(of: .shelter)
        let forms = perParticipant.map(\.form)
        // The rules read the compact journey; the rows copy its texts as written.
        let excluded = try CohortRun.each(state, upto: view.upto, participants: participants, form: .dump, windows: options.windows,
                                          excludeWithdrawn: options.excludeWithdrawn, render: { projection in
            let d = ParticipantDump(projection, forms: forms, covariates: covariateNames, codebook: codebook)
            return PreparedDump(facts: d.facts, summary: ParticipantSummary(projection, shelters: shelters), items: d.items, edges: d.edges,
                                rows: [d.participantRow, d.timeline, d.pairs, d.referrals, d.compliance, d.statements, d.needs, d.complianceKinds]
                                    + (d.texts.map { [$0] } ?? []))
        }, consume: { _, d in
            try kindRows.append(Self.kinds(of: d.facts, codings, form: kindRows.form))
            try episodeRows.append(Self.episodes(of: d.facts, form: episodeRows.form))
            if let spellRows, let weekRows {
                let (spells, weeks) = Self.sequences(of: d.facts, codings, spellForm: spellRows.form, weekForm: weekRows.form)
                try spellRows.append(spells)
                try weekRows.append(weeks)
            }
            tally.add(d.summary)
            reach.add(d.facts)
            for i in perParticipant.indices { try perParticipant[i].append(d.rows[i]) }
            items.append(contentsOf: d.items)
            for edge in d.edges { network.add(edge) }
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
            networkRows.row([edge.from, edge.to, String(edge.referrals), String(edge.refused), String(edge.participants.count)])
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

extension ProjectionTables {
    /// A participant's rows of `participant_kinds.csv`: per kind (in byte order), the mentioned
    /// institutions whose current coding gives it.
    static func kinds(of facts: ParticipantFacts, _ codings: InstitutionDirectory, form: TableRows.Form) -> TableRows {
        var counts: [String: Int] = [:]
        for id in facts.mentioned {
            if let kind = codings.kind(of: id) { counts[kind.rawValue, default: 0] += 1 }
        }
        var rows = TableRows(form)
        for (kind, n) in counts.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            rows.field(facts.participant)
            rows.field(kind)
            rows.field(n)
            rows.endRow()
        }
        return rows
    }
}

extension ProjectionTables {
    /// A participant's rows of `episodes.csv` (contract 4.5).
    static func episodes(of facts: ParticipantFacts, form: TableRows.Form) -> TableRows {
        var rows = TableRows(form)
        for e in facts.episodes {
            rows.field(facts.participant)
            rows.field(e.institution)
            rows.field(e.number)
            rows.field(e.start.description)
            rows.field(e.end.description)
            rows.field(e.dates)
            rows.endRow()
        }
        return rows
    }
}

extension ProjectionTables {
    /// A participant's rows of `spells.csv` and `sequence_weeks.csv` (issue 22): the episodes as
    /// spells, and per study week the chains involved.
    static func sequences(of facts: ParticipantFacts, _ codings: InstitutionDirectory, spellForm: TableRows.Form, weekForm: TableRows.Form)
        -> (TableRows, TableRows) {
        var spells = TableRows(spellForm), weeks = TableRows(weekForm)
        let ordered = facts.episodes.sorted { a, b in
            a.start != b.start ? a.start.daysSinceEpoch < b.start.daysSinceEpoch : a.institution.utf8.lexicographicallyPrecedes(b.institution.utf8)
        }
        for e in ordered {
            spells.field(facts.participant)
            spells.field(e.start.description)
            spells.field(e.end.description)
            spells.field(codings.kind(of: e.institution)?.rawValue ?? "uncoded")
            spells.field(codings.chain(of: e.institution))
            spells.field(e.institution)
            spells.endRow()
        }
        // Week 1: the enrolment's ISO week, else the first episode's; through the exit or the last episode.
        guard let first = facts.enrolledOn?.daysSinceEpoch ?? ordered.first?.start.daysSinceEpoch else { return (spells, weeks) }
        let last = max(first, facts.exitedOn?.daysSinceEpoch ?? first, ordered.map(\.end.daysSinceEpoch).max() ?? first)
        let monday = first - (first + 3) % 7
        var week = 1, start = monday
        while start <= last {
            var legal = false, help = false
            for e in ordered where e.start.daysSinceEpoch <= start + 6 && e.end.daysSinceEpoch >= start {
                switch codings.chain(of: e.institution) {
                case "legal": legal = true
                case "help": help = true
                case "both": legal = true; help = true
                default: break
                }
            }
            weeks.field(facts.participant)
            weeks.field(week)
            weeks.field(CalendarDate(daysSinceEpoch: start).description)
            weeks.field(legal && help ? "both" : legal ? "legal" : help ? "help" : "none")
            weeks.endRow()
            week += 1
            start += 7
        }
        return (spells, weeks)
    }
}

/// A participant's part of a dump, made on a worker: facts for the totals, pair items and
/// referral edges for the tables made at the end, and its rows of the five per-participant
/// tables (participants, timeline, pairs, referrals, compliance).
struct PreparedDump: Sendable {
    let facts: ParticipantFacts
    let summary: ParticipantSummary
    let items: [(String, String, PairItem)]
    let edges: [ReferralEdge]
    let rows: [TableRows]
}
