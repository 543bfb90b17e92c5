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

    /// The rows of a participant with `facts`, whose journey is `journey`, in compact form `compact`.
    init(facts f: ParticipantFacts, journey: [LoggedEvent], compact: [CompactEvent], numbers: InstitutionNumbers,
         windowDays: Int, followUpDays: Int) {
        let participant = f.participant
        facts = f
        participantRow.csvField(participant, first: true)
        participantRow.csvField(f.enrolledOn?.description)
        participantRow.csvField(f.exitedOn?.description)
        participantRow.csvField(f.exitReason?.rawValue)
        for n in [f.events, f.contacts, f.referrals, f.expectations, f.experiences, f.mentioned.count, f.contacted.count] {
            participantRow.csvField(n)
        }
        participantRow.csvEnd()
        timeline.reserveCapacity(journey.count * 100)
        for logged in journey {
            timeline.csvField(participant, first: true)
            timeline.csvField(logged.event.at.text)
            timeline.csvField(Int(logged.seq))
            timeline.csvField(logged.event.id)
            timeline.csvField(logged.event.type.name)
            timeline.csvField(logged.event.source.rawValue)
            let columns = logged.event.timelineColumns
            timeline.csvField(columns.institution)
            timeline.csvField(columns.counterpart)
            timeline.csvField(columns.detail)
            timeline.csvEnd()
        }
        for pair in Pairing.pairs(participant: participant, journey: journey, compact: compact, numbers: numbers, windowDays: windowDays) {
            let expectation = pair.expectation, experience = pair.experience
            pairs.csvField(participant, first: true)
            pairs.csvField(pair.institution)
            pairs.csvField(pair.status.rawValue)
            pairs.csvField(expectation?.id)
            pairs.csvField(experience?.id)
            pairs.csvField(expectation?.data.plannedFor.description)
            pairs.csvField(experience?.data.contactOn.description)
            pairs.csvField(pair.dayOffset)
            pairs.csvField(expectation?.data.expectedFulfilment)
            pairs.csvEnd()
            if let e = expectation, let x = experience {
                for item in pair.items { items.append((e.id, x.id, item)) }
            }
        }
        for a in ReferralAudit.audit(participant: participant, journey: journey, compact: compact, followUpDays: followUpDays) {
            referrals.csvField(participant, first: true)
            referrals.csvField(a.logged.event.at.text)
            referrals.csvField(Int(a.logged.seq))
            referrals.csvField(a.logged.event.id)
            referrals.csvField(a.referral.from)
            referrals.csvField(a.referral.to)
            referrals.csvField(a.referral.outcome.rawValue)
            referrals.csvField(a.refused)
            referrals.csvField(a.deadEnd)
            referrals.csvField(a.chainDepth)
            referrals.csvField(a.inCycle)
            referrals.csvEnd()
            edges.append(ReferralEdge(participant: participant, from: a.referral.from, to: a.referral.to, refused: a.refused))
        }
        for w in Compliance.weeks(participant: participant, journey: journey) {
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
