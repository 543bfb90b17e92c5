import Foundation
import Testing

/// The journeys as process-mining logs (issue 22 point 3), read by pm4py as a process miner
/// would (`tools/check_process_logs.py`): XES with a case per participant, OCEL 2.0 with
/// participants, institutions and referrals as objects.
@Suite(.serialized)
struct ProcessLogTests {
    @Test func pm4pyReadsTheLogsAndItsDirectlyFollowsGraphHasTheReferralRoutes() throws {
        let dir = try Scratch()
        let store = dir.path + "/store"
        #expect(try CommandRunner.journey(["demo", "--store", store]).status == 0)
        let out = dir.path + "/dump"
        let r = try CommandRunner.journey(["dump", "--out", out, "--format", "csv,xes,ocel", "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        let check = try CommandRunner.run("/usr/bin/env", ["python3", CommandRunner.packageRoot + "/tools/check_process_logs.py", out])
        #expect(check.status == 0, "\(check.stderr)")
        let summary = try #require(JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let timeline = try #require(summary["timeline"] as? Int), referrals = try #require(summary["referrals"] as? Int)
        // XES: every timeline event, a referral as two (start where it came from, complete where it went).
        #expect(summary["xesEvents"] as? Int == timeline + referrals)
        #expect(summary["xesCases"] as? Int == summary["participants"] as? Int)
        // OCEL: every timeline event; a referral object per referral, a participant object each.
        #expect(summary["ocelEvents"] as? Int == timeline)
        #expect(summary["ocelReferrals"] as? Int == referrals && summary["ocelParticipants"] as? Int == 29)
        // The directly-follows graph's most frequent route is the busiest route of the network; every route's count agrees.
        #expect(summary["busiestDfg"] as? [AnyHashable] == summary["busiestNetwork"] as? [AnyHashable], "\(summary)")
        #expect(summary["routesEqual"] as? Bool == true)
        // The same log gives the same files, and dump --check holds them to the store.
        #expect(try CommandRunner.journey(["dump", "--check", out, "--store", store]).status == 0)
    }
}
