import JourneyModel
import Projections

/// The rows a dump writes about a run of consecutive participants, rendered on a worker thread
/// into one buffer per table (not one per participant), with what the dump's totals take from
/// each participant.
struct DumpBatch: Sendable {
    /// What every batch of a dump shares.
    struct Setting: Sendable {
        /// The forms the per-participant tables are made in; `nil`: the dump does not write it.
        let forms: [String: TableRows.Form]
        /// The names of the participants table's covariate columns.
        let covariates: [String]
        /// Resolves statement aliases.
        let codebook: Codebook
        /// The institutions' codings as of the dump's log position.
        let codings: InstitutionDirectory
        let shelters: Set<String>

        /// The setting of a dump writing the tables `forms` gives a form for.
        init(forms: [String: TableRows.Form], covariates: [String] = [], codebook: Codebook = Codebook(),
             codings: InstitutionDirectory = InstitutionDirectory()) {
            self.forms = forms
            self.covariates = covariates
            self.codebook = codebook
            self.codings = codings
            shelters = codings.institutions(of: .shelter)
        }

        /// The per-participant tables, in the order a batch hands them over.
        static let tables = [DumpTables.participants, DumpTables.timeline, DumpTables.pairs, DumpTables.referrals, DumpTables.compliance,
                             DumpTables.statements, DumpTables.needs, DumpTables.complianceKinds, DumpTables.participantKinds,
                             DumpTables.episodes, DumpTables.texts, DumpTables.spells, DumpTables.sequenceWeeks]
    }

    let setting: Setting
    var participantRows: TableRows
    var timeline: TableRows
    var pairs: TableRows
    var referrals: TableRows
    var compliance: TableRows
    var statements: TableRows
    var needs: TableRows
    var complianceKinds: TableRows
    var participantKinds: TableRows
    var episodes: TableRows
    /// The narrative texts (`texts.csv`, `dump --free-text`), the spells and the weekly chains
    /// (`--sequences`), if the dump writes them.
    var texts: TableRows?
    var spells: TableRows?
    var sequenceWeeks: TableRows?
    /// What the cohort totals take from each participant, in participant order.
    var summaries: [ParticipantSummary] = []
    /// Each pair item, with the ids of its expectation and experience.
    var items: [(String, String, PairItem)] = []
    var edges: [ReferralEdge] = []

    /// An empty batch.
    init(_ setting: Setting) {
        self.setting = setting
        func rows(_ table: DumpTables.Table) -> TableRows { TableRows(setting.forms[table.name] ?? TableRows.Form(csv: false, fields: false)) }
        func optional(_ table: DumpTables.Table) -> TableRows? { setting.forms[table.name].map { TableRows($0) } }
        participantRows = rows(DumpTables.participants)
        timeline = rows(DumpTables.timeline)
        pairs = rows(DumpTables.pairs)
        referrals = rows(DumpTables.referrals)
        compliance = rows(DumpTables.compliance)
        statements = rows(DumpTables.statements)
        needs = rows(DumpTables.needs)
        complianceKinds = rows(DumpTables.complianceKinds)
        participantKinds = rows(DumpTables.participantKinds)
        episodes = rows(DumpTables.episodes)
        texts = optional(DumpTables.texts)
        spells = optional(DumpTables.spells)
        sequenceWeeks = optional(DumpTables.sequenceWeeks)
    }

    /// The rows of each table the dump writes, in `Setting.tables` order.
    var tables: [(table: DumpTables.Table, rows: TableRows)] {
        let all: [TableRows?] = [participantRows, timeline, pairs, referrals, compliance, statements, needs, complianceKinds, participantKinds,
                                 episodes, texts, spells, sequenceWeeks]
        return zip(Setting.tables, all).compactMap { table, rows in rows.map { (table, $0) } }
    }

    /// Adds the rows of a participant's projection (read in `.dump` form: the compact journey
    /// with the texts its rows copy).
    mutating func add(_ projection: ParticipantProjection) {
        let f = projection.facts, participant = f.participant
        let journey = projection.journey, journeyTexts = projection.texts, numbers = projection.numbers
        let codebook = setting.codebook
        participantRows.field(plain: participant)
        participantRows.field(date: f.enrolledOn)
        participantRows.field(date: f.exitedOn)
        participantRows.field(plain: f.exitReason?.rawValue)
        participantRows.field(f.events)
        participantRows.field(f.contacts)
        participantRows.field(f.referrals)
        participantRows.field(f.expectations)
        participantRows.field(f.experiences)
        participantRows.field(f.mentioned.count)
        participantRows.field(f.contacted.count)
        let enrolment = projection.enrolment
        participantRows.field(enrolment?.ageBand)
        participantRows.field(enrolment?.childrenWithExPartner)
        participantRows.field(enrolment.map { $0.abuse.map(\.rawValue).sorted().joined(separator: ";") })
        participantRows.field(f.maxConcurrent)
        participantRows.field(f.unnamedContacts)
        for name in setting.covariates {
            if let value = projection.covariates[name] { participantRows.field(value.text) } else { participantRows.field(nil as String?) }
        }
        participantRows.endRow()
        var pairedItems: [(institution: String, item: PairItem)] = [], auditRows: [AuditRow] = []
        // The rows copy the journey's texts, borrowed once (no slice, no reference count per field).
        journeyTexts.bytes.withUnsafeBufferPointer { all in
            func name(_ n: Int32) -> String? { n == CompactEvent.none ? nil : numbers.name(n) }
            func text(_ range: Range<Int>?) -> UnsafeBufferPointer<UInt8>? { range.map { UnsafeBufferPointer(rebasing: all[$0]) } }
            for (i, event) in journey.enumerated() {
                let t = journeyTexts.events[i]
                timeline.field(plain: participant)
                timeline.field(plainBytes: text(t.at))
                timeline.field(Int(event.seq))
                timeline.field(plainBytes: text(t.id))
                timeline.field(plain: event.type.name)
                timeline.field(plain: event.source.rawValue)
                timeline.field(plain: name(event.institution))
                timeline.field(plain: name(event.counterpart))
                timeline.field(bytes: text(t.detail))
                timeline.field(bytes: text(t.role))
                timeline.field(bytes: text(t.reason))
                timeline.field(bytes: text(t.mode))
                timeline.field(bytes: text(t.professional))
                Self.forWhom(t, of: event, into: &timeline, all)
                timeline.field(bytes: text(t.by))
                timeline.field(plainBytes: text(t.recorded))
                timeline.endRow()
            }
            for row in projection.pairRows() {
                let expectation = row.expectation.map { journey[$0] }, experience = row.experience.map { journey[$0] }
                pairs.field(plain: participant)
                pairs.field(plain: numbers.name(row.institution))
                pairs.field(plain: row.status.rawValue)
                pairs.field(plainBytes: text(row.expectation.map { journeyTexts.events[$0].id }))
                pairs.field(plainBytes: text(row.experience.map { journeyTexts.events[$0].id }))
                pairs.field(date: expectation.map { CalendarDate(daysSinceEpoch: $0.day) })
                pairs.field(date: experience.map { CalendarDate(daysSinceEpoch: $0.day) })
                pairs.field(row.dayOffset)
                pairs.field(expectation?.expectedFulfilment.map { Int($0) })
                pairs.endRow()
                if let e = row.expectation, let x = row.experience {
                    let eId = journeyTexts.string(journeyTexts.events[e].id), xId = journeyTexts.string(journeyTexts.events[x].id)
                    let institution = numbers.name(row.institution)
                    for item in journeyTexts.pairItems(expectation: e, experience: x, codebook: codebook) {
                        items.append((eId, xId, item))
                        pairedItems.append((institution, item))
                    }
                }
            }
            auditRows = projection.auditRows()
            for a in auditRows {
                let referral = journey[a.index], t = journeyTexts.events[a.index]
                let from = numbers.name(referral.counterpart), to = numbers.name(referral.institution)
                referrals.field(plain: participant)
                referrals.field(plainBytes: text(t.at))
                referrals.field(Int(referral.seq))
                referrals.field(plainBytes: text(t.id))
                referrals.field(plain: from)
                referrals.field(plain: to)
                referrals.field(plain: referral.outcome?.rawValue)
                referrals.field(a.refused)
                referrals.field(a.deadEnd)
                referrals.field(a.chainDepth)
                referrals.field(a.inCycle)
                referrals.field(bytes: text(t.reason))
                Self.forWhom(t, of: referral, into: &referrals, all)
                referrals.endRow()
                edges.append(ReferralEdge(participant: participant, from: from, to: to, refused: a.refused))
            }
            // Statements and needs by their first columns (contract 4.5): event id, then item or need.
            var stated = journey.indices.filter { journey[$0].type == .expectation || journey[$0].type == .experience }
            stated.sort { all[journeyTexts.events[$0].id].lexicographicallyPrecedes(all[journeyTexts.events[$1].id]) }
            for i in stated {
                let event = journey[i], t = journeyTexts.events[i]
                let day = CalendarDate(daysSinceEpoch: event.day)
                func row(_ score: Int, _ item: (inout TableRows) -> Void) {
                    statements.field(plain: participant)
                    statements.field(plainBytes: text(t.id))
                    statements.field(plain: event.type.name)
                    statements.field(plain: name(event.institution))
                    statements.field(date: day)
                    item(&statements)
                    statements.field(score)
                    statements.endRow()
                }
                if codebook.itemOfAlias.isEmpty {
                    // No alias to resolve: the items as written, sorted by their bytes.
                    for (item, score) in journeyTexts.items[t.items].sorted(by: { all[$0.item].lexicographicallyPrecedes(all[$1.item]) }) {
                        row(score) { $0.field(bytes: text(item)) }
                    }
                } else {
                    let items = journeyTexts.items[t.items].map { (item: codebook.resolved(journeyTexts.string($0.item)), score: $0.score) }
                    for (item, score) in items.sorted(by: { $0.item.utf8.lexicographicallyPrecedes($1.item.utf8) }) {
                        row(score) { $0.field(item) }
                    }
                }
                for need in journeyTexts.needs[t.needs].sorted(by: { all[$0].lexicographicallyPrecedes(all[$1]) }) {
                    needs.field(plain: participant)
                    needs.field(plainBytes: text(t.id))
                    needs.field(plain: name(event.institution))
                    needs.field(bytes: text(need))
                    needs.endRow()
                }
            }
        }
        for w in projection.compliance() {
            compliance.field(plain: participant)
            compliance.field(w.week)
            compliance.field(date: w.weekStart)
            Self.counts(w.total, into: &compliance)
            compliance.field(w.reportedLastWeek)
            compliance.field(w.recordedLastWeek)
            compliance.field(w.expectedNextWeek)
            compliance.field(w.recordedNextWeek)
            compliance.endRow()
            for k in w.byKind {
                complianceKinds.field(plain: participant)
                complianceKinds.field(w.week)
                complianceKinds.field(k.kind?.rawValue)
                Self.counts(k, into: &complianceKinds)
                complianceKinds.endRow()
            }
        }
        if texts != nil {
            for t in projection.texts.events {
                guard let summary = t.summary, !summary.isEmpty else { continue }
                texts?.field(participant)
                texts?.field(bytes: projection.texts.bytes[t.id])
                texts?.field("summary")
                texts?.field(bytes: projection.texts.bytes[summary])
                texts?.endRow()
            }
        }
        kinds(of: f)
        for e in f.episodes {
            episodes.field(plain: participant)
            episodes.field(plain: e.institution)
            episodes.field(e.number)
            episodes.field(date: e.start)
            episodes.field(date: e.end)
            episodes.field(e.dates)
            episodes.endRow()
        }
        if spells != nil || sequenceWeeks != nil { sequences(of: f) }
        summaries.append(ParticipantSummary(projection, shelters: setting.shelters, pairedItems: pairedItems, auditRows: auditRows))
    }

    /// A participant's rows of `participant_kinds.csv`: per kind (in byte order), the mentioned
    /// institutions whose current coding gives it.
    private mutating func kinds(of facts: ParticipantFacts) {
        var counts: [String: Int] = [:]
        for id in facts.mentioned {
            if let kind = setting.codings.kind(of: id) { counts[kind.rawValue, default: 0] += 1 }
        }
        for (kind, n) in counts.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            participantKinds.field(facts.participant)
            participantKinds.field(kind)
            participantKinds.field(n)
            participantKinds.endRow()
        }
    }

    /// A participant's rows of `spells.csv` and `sequence_weeks.csv` (issue 22): the episodes as
    /// spells, and per study week the chains involved.
    private mutating func sequences(of facts: ParticipantFacts) {
        let codings = setting.codings
        let ordered = facts.episodes.sorted { a, b in
            a.start != b.start ? a.start.daysSinceEpoch < b.start.daysSinceEpoch : a.institution.utf8.lexicographicallyPrecedes(b.institution.utf8)
        }
        for e in ordered {
            spells?.field(facts.participant)
            spells?.field(e.start.description)
            spells?.field(e.end.description)
            spells?.field(codings.kind(of: e.institution)?.rawValue ?? "uncoded")
            spells?.field(codings.chain(of: e.institution))
            spells?.field(e.institution)
            spells?.endRow()
        }
        // Week 1: the enrolment's ISO week, else the first episode's; through the exit or the last episode.
        guard let first = facts.enrolledOn?.daysSinceEpoch ?? ordered.first?.start.daysSinceEpoch else { return }
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
            sequenceWeeks?.field(facts.participant)
            sequenceWeeks?.field(week)
            sequenceWeeks?.field(CalendarDate(daysSinceEpoch: start).description)
            sequenceWeeks?.field(legal && help ? "both" : legal ? "legal" : help ? "help" : "none")
            sequenceWeeks?.endRow()
            week += 1
            start += 7
        }
    }

    /// The compliance columns of `c`: prompts, answered, expired, missed, response rate, median latency.
    private static func counts(_ c: ComplianceCounts, into rows: inout TableRows) {
        rows.field(c.prompts)
        rows.field(c.answered)
        rows.field(c.expired)
        rows.field(c.missed)
        rows.field(c.responseRate, decimals: 4)
        rows.field(c.medianLatencyMinutes, decimals: 1)
    }

    /// The `for` column (contract 4.5): as written, `participant` for a contact or referral
    /// without one, empty for other types.
    private static func forWhom(_ t: JourneyTexts.EventTexts, of event: CompactEvent, into rows: inout TableRows, _ texts: UnsafeBufferPointer<UInt8>) {
        if let range = t.forWhom {
            rows.field(bytes: UnsafeBufferPointer(rebasing: texts[range]))
        } else {
            rows.field(event.type == .contact || event.type == .referral ? ForWhom.participant.rawValue : nil)
        }
    }
}
