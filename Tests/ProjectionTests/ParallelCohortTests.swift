import Foundation
import JourneyModel
import JourneyStore
import Synchronization
import Testing
@testable import Projections

/// Cohort runs hand results back in participant order whatever the block size, across blocks
/// and the workers' runs within a block, and a batch run gives what a per-participant run gives.
struct ParallelCohortTests {
    /// 23 participants (P00-P22) with 1-4 contacts each; P05, P11 and P17 withdrew.
    private func cohort() throws -> Fixture {
        let f = try Fixture()
        var lines: [String] = []
        for n in 0..<23 {
            let p = String(format: "P%02d", n)
            for k in 0...(n % 4) { lines.append(E.contact("\(p)-c\(k)", "inst-\(k)", String(format: "2023-05-%02d", 1 + k), p: p)) }
            if n % 6 == 5 {
                lines.append(#"{"id":"\#(p)-x","type":"participant.exited","participant":"\#(p)","at":"2023-06-01","source":"closing-interview","data":{"reason":"withdrew"}}"#)
            }
        }
        try f.importLines(lines)
        try f.state.catchUp()
        return f
    }

    @Test(arguments: [1, 2, 3, 4, 7, 64])
    func runsComeBackInParticipantOrder(blockSize: Int) throws {
        let f = try cohort()
        let (upto, participants) = try f.state.view { v in (v.upto, try v.participants()) }
        #expect(participants.count == 23)
        var seen: [String] = [], counts: [Int] = []
        try ParallelCohort.runBatches(state: f.state, upto: upto, participants: participants, blockSize: blockSize, compute: { view, run in
            try run.map { try view.journey(of: $0).count }
        }, consume: { run, result in
            #expect(!run.isEmpty)
            #expect(result.count == run.count)
            seen += run
            counts += result
        })
        #expect(seen == participants)
        #expect(counts == participants.map { Int($0.dropFirst())! % 4 + 1 + (Int($0.dropFirst())! % 6 == 5 ? 1 : 0) })
    }

    @Test(arguments: [1, 3, 5, 1024])
    func aBatchRunGivesWhatAPerParticipantRunGives(blockSize: Int) throws {
        let f = try cohort()
        let (upto, participants) = try f.state.view { v in (v.upto, try v.participants()) }
        var each: [String] = []
        let excludedEach = try CohortRun.each(f.state, upto: upto, participants: participants, form: .compact, excludeWithdrawn: true,
                                              render: { "\($0.participant):\($0.facts.contacts)" }, consume: { _, row in each.append(row) })
        var batches: [[String]] = []
        let excludedBatch = try CohortRun.eachBatch(f.state, upto: upto, participants: participants, form: .compact, excludeWithdrawn: true,
                                                    blockSize: blockSize, batch: { [String]() },
                                                    render: { batch, p in batch.append("\(p.participant):\(p.facts.contacts)") },
                                                    consume: { batches.append($0) })
        #expect(batches.joined().map { $0 } == each)
        #expect(each.count == 20)
        #expect(excludedEach == 3 && excludedBatch == 3)
        // At least a batch per block, at most one per participant.
        #expect(batches.count >= (23 + blockSize - 1) / blockSize && batches.count <= 23)
    }

    @Test func aFewParticipantsReadDirectlyGiveWhatTheWholeCohortRunGives() throws {
        let f = try cohort()
        let (upto, participants) = try f.state.view { v in (v.upto, try v.participants()) }
        func rows(_ who: [String]) throws -> (rows: [String], excluded: Int) {
            var rows: [String] = []
            let excluded = try CohortRun.each(f.state, upto: upto, participants: who, form: .full, excludeWithdrawn: true,
                                              render: { p in "\(p.participant):\(p.pairs().count):\(p.referrals().count):\(p.facts.contacts)" },
                                              consume: { _, row in rows.append(row) })
            return (rows, excluded)
        }
        let whole = try rows(participants)
        var one: [String] = [], excluded = 0
        for p in participants {
            let r = try rows([p])
            one += r.rows
            excluded += r.excluded
        }
        #expect(one == whole.rows && excluded == whole.excluded && excluded == 3)
        #expect(try rows(Array(participants.prefix(ParallelCohort.directAtMost))).rows == Array(whole.rows.prefix(4)))
    }

    @Test func aFailingParticipantFailsTheRun() throws {
        let f = try cohort()
        let (upto, participants) = try f.state.view { v in (v.upto, try v.participants()) }
        let consumed = Mutex(0)
        #expect(throws: ProjectionError.self) {
            try ParallelCohort.run(state: f.state, upto: upto, participants: participants, blockSize: 4, compute: { _, p in
                if p == "P09" { throw ProjectionError("P09 cannot be computed") }
                return p
            }, consume: { _, _ in consumed.withLock { $0 += 1 } })
        }
        // The participants before P09's run were handed over; none after it.
        #expect(consumed.withLock { $0 } <= 9)
    }
}
