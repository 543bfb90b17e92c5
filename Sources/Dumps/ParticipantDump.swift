import JourneyModel
import Projections

/// Everything a dump writes about one participant, rendered on a worker thread.
struct ParticipantDump: Sendable {
    let facts: ParticipantFacts
    var participantRow: TableRows
    var timeline: TableRows
    var pairs: TableRows
    var referrals: TableRows
    var compliance: TableRows
    var complianceKinds: TableRows
    var statements: TableRows
    var needs: TableRows
    /// The narrative texts (`texts.csv`), when a sixth form asks for them (`dump --free-text`).
    var texts: TableRows?
    var items: [(String, String, PairItem)] = []
    var edges: [ReferralEdge] = []

    /// The rows of a participant's projection (read in `.dump` form: the compact journey with
    /// the texts its rows copy), made in `forms` (participants, timeline, pairs, referrals,
    /// compliance, and texts if the dump writes them; each table's `TableOutput.form`).
    /// The rows of a participant's projection (read in `.dump` form: the compact journey with
    /// the texts its rows copy), made in `forms` (participants, timeline, pairs, referrals,
    /// compliance, statements, needs, and texts if the dump writes them; each table's
    /// `TableOutput.form`); `covariates`: the names of the participants table's covariate
    /// columns; `codebook` resolves statement aliases.
    init(_ projection: ParticipantProjection, forms: [TableRows.Form], covariates: [String] = [], codebook: Codebook = Codebook()) {
        statements = TableRows(forms[5])
        needs = TableRows(forms[6])
        complianceKinds = TableRows(forms[7])
        texts = forms.count > 8 ? TableRows(forms[8]) : nil
        participantRow = TableRows(forms[0])
        timeline = TableRows(forms[1])
        pairs = TableRows(forms[2])
        referrals = TableRows(forms[3])
        compliance = TableRows(forms[4])
        let f = projection.facts, participant = f.participant
        let journey = projection.journey, journeyTexts = projection.texts, numbers = projection.numbers
        facts = f
        participantRow.field(participant)
        participantRow.field(f.enrolledOn?.description)
        participantRow.field(f.exitedOn?.description)
        participantRow.field(f.exitReason?.rawValue)
        for n in [f.events, f.contacts, f.referrals, f.expectations, f.experiences, f.mentioned.count, f.contacted.count] {
            participantRow.field(n)
        }
        let enrolment = projection.enrolment
        participantRow.field(enrolment?.ageBand)
        participantRow.field(enrolment?.childrenWithExPartner)
        participantRow.field(enrolment.map { $0.abuse.map(\.rawValue).sorted().joined(separator: ";") })
        participantRow.field(f.maxConcurrent)
        participantRow.field(f.unnamedContacts)
        for name in covariates {
            if let value = projection.covariates[name] { participantRow.field(value.text) } else { participantRow.field(nil as String?) }
        }
        participantRow.endRow()
        func name(_ n: Int32) -> String? { n == CompactEvent.none ? nil : numbers.name(n) }
        func text(_ range: Range<Int>?) -> ArraySlice<UInt8>? { range.map { journeyTexts.bytes[$0] } }
                timeline.reserveCapacity(journey.count * 110)
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
                for item in journeyTexts.pairItems(expectation: e, experience: x, codebook: codebook) { items.append((eId, xId, item)) }
            }
        }
        for a in projection.auditRows() {
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
