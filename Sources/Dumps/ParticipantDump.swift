import JourneyModel
import Projections

/// Everything a dump writes about one participant, rendered on a worker thread.
struct ParticipantDump: Sendable {
    let facts: ParticipantFacts
    var participantRow: [UInt8] = []
    var timeline: [UInt8] = []
    var pairs: [UInt8] = []
    var referrals: [UInt8] = []
    var compliance: [UInt8] = []
    var items: [(String, String, PairItem)] = []
    var edges: [ReferralEdge] = []

    /// The rows of a participant's projection (read in `.dump` form: the compact journey with
    /// the texts its rows copy).
    init(_ projection: ParticipantProjection) {
        let f = projection.facts, participant = f.participant
        let journey = projection.journey, texts = projection.texts, numbers = projection.numbers
        facts = f
        participantRow.csvField(participant, first: true)
        participantRow.csvField(f.enrolledOn?.description)
        participantRow.csvField(f.exitedOn?.description)
        participantRow.csvField(f.exitReason?.rawValue)
        for n in [f.events, f.contacts, f.referrals, f.expectations, f.experiences, f.mentioned.count, f.contacted.count] {
            participantRow.csvField(n)
        }
        participantRow.csvEnd()
        func name(_ n: Int32) -> String? { n == CompactEvent.none ? nil : numbers.name(n) }
        func text(_ range: Range<Int>?) -> ArraySlice<UInt8>? { range.map { texts.bytes[$0] } }
        timeline.reserveCapacity(journey.count * 100)
        for (i, event) in journey.enumerated() {
            let t = texts.events[i]
            timeline.csvField(participant, first: true)
            timeline.csvField(bytes: text(t.at))
            timeline.csvField(Int(event.seq))
            timeline.csvField(bytes: text(t.id))
            timeline.csvField(event.type.name)
            timeline.csvField(event.source.rawValue)
            timeline.csvField(name(event.institution))
            timeline.csvField(name(event.counterpart))
            timeline.csvField(bytes: text(t.detail))
            timeline.csvEnd()
        }
        for row in projection.pairRows() {
            let expectation = row.expectation.map { journey[$0] }, experience = row.experience.map { journey[$0] }
            pairs.csvField(participant, first: true)
            pairs.csvField(numbers.name(row.institution))
            pairs.csvField(row.status.rawValue)
            pairs.csvField(bytes: text(row.expectation.map { texts.events[$0].id }))
            pairs.csvField(bytes: text(row.experience.map { texts.events[$0].id }))
            pairs.csvField(expectation.map { CalendarDate(daysSinceEpoch: $0.day).description })
            pairs.csvField(experience.map { CalendarDate(daysSinceEpoch: $0.day).description })
            pairs.csvField(row.dayOffset)
            pairs.csvField(expectation?.expectedFulfilment.map { Int($0) })
            pairs.csvEnd()
            if let e = row.expectation, let x = row.experience {
                let eId = texts.string(texts.events[e].id), xId = texts.string(texts.events[x].id)
                for item in texts.pairItems(expectation: e, experience: x) { items.append((eId, xId, item)) }
            }
        }
        for a in projection.auditRows() {
            let referral = journey[a.index], t = texts.events[a.index]
            let from = numbers.name(referral.counterpart), to = numbers.name(referral.institution)
            referrals.csvField(participant, first: true)
            referrals.csvField(bytes: text(t.at))
            referrals.csvField(Int(referral.seq))
            referrals.csvField(bytes: text(t.id))
            referrals.csvField(from)
            referrals.csvField(to)
            referrals.csvField(referral.outcome?.rawValue)
            referrals.csvField(a.refused)
            referrals.csvField(a.deadEnd)
            referrals.csvField(a.chainDepth)
            referrals.csvField(a.inCycle)
            referrals.csvEnd()
            edges.append(ReferralEdge(participant: participant, from: from, to: to, refused: a.refused))
        }
        for w in projection.compliance() {
            compliance.csvField(participant, first: true)
            compliance.csvField(w.week)
            compliance.csvField(w.weekStart.description)
            for n in [w.prompts, w.answered, w.expired, w.missed] { compliance.csvField(n) }
            compliance.csvField(w.responseRate, decimals: 4)
            compliance.csvField(w.medianLatencyMinutes, decimals: 1)
            compliance.csvEnd()
        }
    }
}
