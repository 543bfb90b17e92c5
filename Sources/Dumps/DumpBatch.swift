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
        participantRows.field(participant)
        participantRows.field(f.enrolledOn?.description)
        participantRows.field(f.exitedOn?.description)
        participantRows.field(f.exitReason?.rawValue)
        for n in [f.events, f.contacts, f.referrals, f.expectations, f.experiences, f.mentioned.count, f.contacted.count] {
            participantRows.field(n)
        }
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
        func name(_ n: Int32) -> String? { n == CompactEvent.none ? nil : numbers.name(n) }
        func text(_ range: Range<Int>?) -> ArraySlice<UInt8>? { range.map { journeyTexts.bytes[$0] } }
        for (i, event) in journey.enumerated() {
            let t = journeyTexts.events[i]
            timeline.field(participant)
            timeline.field(bytes: text(t.at))
            timeline.field(Int(event.seq))
            timeline.field(bytes: text(t.id))
            timeline.field(event.type.name)
            timeline.field(event.source.rawValue)
            timeline.field(name(event.institution))
            timeline.field(name(event.counterpart))
            timeline.field(bytes: text(t.detail))
            timeline.field(bytes: text(t.role))
            timeline.field(bytes: text(t.reason))
            timeline.field(bytes: text(t.mode))
            timeline.field(bytes: text(t.professional))
            Self.forWhom(t, of: event, into: &timeline, journeyTexts)
            timeline.field(bytes: text(t.by))
            timeline.field(bytes: text(t.recorded))
            timeline.endRow()
        }
        var pairedItems: [(institution: String, item: PairItem)] = []
        for row in projection.pairRows() {
            let expectation = row.expectation.map { journey[$0] }, experience = row.experience.map { journey[$0] }
            pairs.field(participant)
            pairs.field(numbers.name(row.institution))
            pairs.field(row.status.rawValue)
            pairs.field(bytes: text(row.expectation.map { journeyTexts.events[$0].id }))
            pairs.field(bytes: text(row.experience.map { journeyTexts.events[$0].id }))
            pairs.field(expectation.map { CalendarDate(daysSinceEpoch: $0.day).description })
            pairs.field(experience.map { CalendarDate(daysSinceEpoch: $0.day).description })
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
        let auditRows = projection.auditRows()
        for a in auditRows {
            let referral = journey[a.index], t = journeyTexts.events[a.index]
            let from = numbers.name(referral.counterpart), to = numbers.name(referral.institution)
            referrals.field(participant)
            referrals.field(bytes: text(t.at))
            referrals.field(Int(referral.seq))
            referrals.field(bytes: text(t.id))
            referrals.field(from)
            referrals.field(to)
            referrals.field(referral.outcome?.rawValue)
            referrals.field(a.refused)
            referrals.field(a.deadEnd)
            referrals.field(a.chainDepth)
            referrals.field(a.inCycle)
            referrals.field(bytes: text(t.reason))
            Self.forWhom(t, of: referral, into: &referrals, journeyTexts)
            referrals.endRow()
            edges.append(ReferralEdge(participant: participant, from: from, to: to, refused: a.refused))
        }
        // Statements and needs by their first columns (contract 4.5): event id, then item or need.
        var stated = journey.indices.filter { journey[$0].type == .expectation || journey[$0].type == .experience }
        stated.sort { journeyTexts.bytes[journeyTexts.events[$0].id].lexicographicallyPrecedes(journeyTexts.bytes[journeyTexts.events[$1].id]) }
        for i in stated {
            let event = journey[i], t = journeyTexts.events[i]
            let day = CalendarDate(daysSinceEpoch: event.day).description
            func row(_ score: Int, _ item: (inout TableRows) -> Void) {
                statements.field(participant)
                statements.field(bytes: text(t.id))
                statements.field(event.type.name)
                statements.field(name(event.institution))
                statements.field(day)
                item(&statements)
                statements.field(score)
                statements.endRow()
            }
            if codebook.itemOfAlias.isEmpty {
                // No alias to resolve: the items as written, sorted by their bytes.
                let bytes = journeyTexts.bytes
                for (item, score) in journeyTexts.items[t.items].sorted(by: { bytes[$0.item].lexicographicallyPrecedes(bytes[$1.item]) }) {
                    row(score) { $0.field(bytes: bytes[item]) }
                }
            } else {
                let items = journeyTexts.items[t.items].map { (item: codebook.resolved(journeyTexts.string($0.item)), score: $0.score) }
                for (item, score) in items.sorted(by: { $0.item.utf8.lexicographicallyPrecedes($1.item.utf8) }) {
                    row(score) { $0.field(item) }
                }
            }
            let bytes = journeyTexts.bytes
            for need in journeyTexts.needs[t.needs].sorted(by: { bytes[$0].lexicographicallyPrecedes(bytes[$1]) }) {
                needs.field(participant)
                needs.field(bytes: text(t.id))
                needs.field(name(event.institution))
                needs.field(bytes: bytes[need])
                needs.endRow()
            }
        }
        for w in projection.compliance() {
            compliance.field(participant)
            compliance.field(w.week)
            compliance.field(w.weekStart.description)
            Self.counts(w.total, into: &compliance)
            for flag in [w.reportedLastWeek, w.recordedLastWeek, w.expectedNextWeek, w.recordedNextWeek] { compliance.field(flag) }
            compliance.endRow()
            for k in w.byKind {
                complianceKinds.field(participant)
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
            episodes.field(participant)
            episodes.field(e.institution)
            episodes.field(e.number)
            episodes.field(e.start.description)
            episodes.field(e.end.description)
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
        for n in [c.prompts, c.answered, c.expired, c.missed] { rows.field(n) }
        rows.field(c.responseRate, decimals: 4)
        rows.field(c.medianLatencyMinutes, decimals: 1)
    }

    /// The `for` column (contract 4.5): as written, `participant` for a contact or referral
    /// without one, empty for other types.
    private static func forWhom(_ t: JourneyTexts.EventTexts, of event: CompactEvent, into rows: inout TableRows, _ texts: JourneyTexts) {
        if let range = t.forWhom {
            rows.field(bytes: texts.bytes[range])
        } else {
            rows.field(event.type == .contact || event.type == .referral ? ForWhom.participant.rawValue : nil)
        }
    }
}
