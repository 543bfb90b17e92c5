import Foundation
import Testing

/// Contract section 4 (the study's whole data) through the built binary: unnamed professionals,
/// `for`, professional groups, episodes and concurrency - each with hand-computed expectations.
@Suite(.serialized)
struct StudyDataTests {
    private func importing(_ dir: Scratch, _ lines: [String], store: String? = nil) throws -> (store: String, result: CommandRunner.Result) {
        let store = store ?? dir.path + "/store"
        let file = try dir.write("events-\(UUID().uuidString).jsonl", lines)
        return (store, try CommandRunner.journey(["import", file, "--store", store]))
    }

    private func csv(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    private static func contact(_ id: String, _ at: String, institution: String?, extra: String = "") -> String {
        let inst = institution.map { #""institution":"\#($0)""# } ?? ""
        let sep = institution != nil && !extra.isEmpty ? "," : ""
        return #"{"id":"\#(id)","type":"contact","participant":"P","at":"\#(at)","source":"esm","data":{\#(inst)\#(sep)\#(extra)}}"#
    }

    /// A contact with a professional and no organisation (contract 4.4) counts as a contact and
    /// an unnamed contact, shows in the timeline without an institution, names no institution,
    /// starts no episode and follows up no referral; the professionals table counts it.
    @Test func anUnnamedProfessionalIsAContactButNoInstitution() throws {
        let dir = try Scratch()
        let (store, r) = try importing(dir, [
            #"{"id":"k-ggz","type":"institution.coded","at":"2023-01-01","source":"manual","data":{"institution":"ggz","name":"GGZ","categories":["help.formal.health"],"levels":["regional"],"kind":"mental-health"}}"#,
            #"{"id":"P-r","type":"referral","participant":"P","at":"2023-02-01","source":"esm","data":{"from":"self","to":"ggz","outcome":"accepted","reason":"advice of the GP","for":"child"}}"#,
            Self.contact("P-u1", "2023-02-05", institution: nil, extra: #""professional":"psychologist","for":"child""#),
            Self.contact("P-u2", "2023-02-06", institution: nil, extra: #""professional":"police-officer","role":"wijkagent""#),
            Self.contact("P-n1", "2023-02-07", institution: "ggz", extra: #""professional":"psychologist","mode":"video""#),
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let out = dir.path + "/dump"
        #expect(try CommandRunner.journey(["dump", "--out", out, "--store", store]).status == 0)
        let participants = try csv(out + "/participants.csv")
        #expect(participants[1] == "P,,,,4,3,1,0,0,1,1,,,,1,2")
        let timeline = try csv(out + "/timeline.csv")
        #expect(timeline.contains("P,2023-02-05,3,P-u1,contact,esm,,,,,,,psychologist,child,,"))
        #expect(timeline.contains("P,2023-02-06,4,P-u2,contact,esm,,,wijkagent,wijkagent,,,police-officer,participant,,"))
        #expect(timeline.contains("P,2023-02-07,5,P-n1,contact,esm,ggz,,,,,video,psychologist,participant,,"))
        #expect(timeline.contains("P,2023-02-01,2,P-r,referral,esm,ggz,self,accepted,,advice of the GP,,,child,,"))
        // The referral was followed up by the named contact (day 6), not the unnamed one.
        #expect(try csv(out + "/referrals.csv").contains("P,2023-02-01,2,P-r,self,ggz,accepted,false,false,1,false,advice of the GP,child"))
        #expect(try csv(out + "/episodes.csv") == ["participant,institution,episode,start,end,dates", "P,ggz,1,2023-02-07,2023-02-07,1"])
        let professionals = try csv(out + "/professionals.csv")
        #expect(professionals.count == 39)
        #expect(professionals.contains("psychologist,help,1,2,1"))
        #expect(professionals.contains("police-officer,both,1,1,1"))
        #expect(professionals.contains("judge,legal,0,0,0"))
        let stats = try CommandRunner.journey(["stats", "--format", "json", "--store", store]).stdout
        #expect(stats.contains(#""institutions": 1,"#))
        #expect(stats.contains(#""psychologist": 1"#) && stats.contains(#""concurrency": {"max": 1, "mean": 1.0}"#))
        let text = try CommandRunner.journey(["stats", "--store", store]).stdout
        #expect(text.contains("Psychologist") && text.contains("1 / 2 / 1"), "\(text)")
    }

    /// A contact names an institution or a professional (contract 4.1); `for` and
    /// `professional` take only their codes. Each fault names the file and line; nothing is
    /// appended.
    @Test func aContactWithNeitherInstitutionNorProfessionalIsRejected() throws {
        let dir = try Scratch()
        for (bad, message) in [
            (Self.contact("P-x", "2023-02-05", institution: nil, extra: #""role":"someone""#), #"missing required field "data.institution" or "data.professional""#),
            (Self.contact("P-x", "2023-02-05", institution: nil, extra: #""institution":null,"professional":null"#), #""data.institution" or "data.professional""#),
            (Self.contact("P-x", "2023-02-05", institution: "ggz", extra: #""for":"neighbour""#), "data.for"),
            (Self.contact("P-x", "2023-02-05", institution: nil, extra: #""professional":"wizard""#), "data.professional"),
        ] {
            let store = dir.path + "/store-\(UUID().uuidString)"
            let (_, r) = try importing(dir, [Self.contact("P-ok", "2023-02-01", institution: "ggz"), bad], store: store)
            #expect(r.status != 0)
            #expect(r.stderr.contains(".jsonl:2: ") && r.stderr.contains(message) && r.stderr.contains("nothing from this file was appended"), "\(r.stderr)")
            #expect(try CommandRunner.journey(["info", "--store", store]).stdout.contains("events        0\n"))
        }
    }

    /// Episodes (contract 4.4): dates exactly G days apart are one episode, G+1 apart two;
    /// experiences count by contactOn; two episodes that share a boundary day are concurrent.
    @Test func episodesSplitAtGapsLongerThanGAndConcurrencyCountsTheBoundaryDay() throws {
        let dir = try Scratch()
        let (store, r) = try importing(dir, [
            Self.contact("a1", "2023-01-01", institution: "a"),
            Self.contact("a2", "2023-01-11", institution: "a"),  // 10 days: same episode with G = 10
            Self.contact("a3", "2023-01-22", institution: "a"),  // 11 days: a new episode
            Self.contact("a4", "2023-01-22", institution: "a"),  // the same date again: one date
            #"{"id":"b1","type":"experience","participant":"P","at":"2023-03-01","source":"esm","data":{"institution":"b","contactOn":"2023-01-22","statements":{}}}"#,
            Self.contact("b2", "2023-01-30", institution: "b"),
            Self.contact("c1", "2023-01-30", institution: "c"),
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let out = dir.path + "/dump"
        #expect(try CommandRunner.journey(["dump", "--out", out, "--episode-gap-days", "10", "--store", store]).status == 0)
        #expect(try csv(out + "/episodes.csv") == [
            "participant,institution,episode,start,end,dates",
            "P,a,1,2023-01-01,2023-01-11,2", "P,a,2,2023-01-22,2023-01-22,1",
            "P,b,1,2023-01-22,2023-01-30,2", "P,c,1,2023-01-30,2023-01-30,1",
        ])
        // 2023-01-22: a's second episode and b's; 2023-01-30: b's and c's: at most two.
        #expect(try csv(out + "/participants.csv")[1].hasSuffix(",2,0"))
        // The default gap (90 days) makes a's dates one episode, ending 2023-01-22: on that day a
        // and b are open, on 2023-01-30 b and c - still two.
        let wide = dir.path + "/dump-wide"
        #expect(try CommandRunner.journey(["dump", "--out", wide, "--store", store]).status == 0)
        #expect(try csv(wide + "/episodes.csv")[1] == "P,a,1,2023-01-01,2023-01-22,3")
        #expect(try csv(wide + "/participants.csv")[1].hasSuffix(",2,0"))
        let bad = try CommandRunner.journey(["dump", "--out", dir.path + "/x", "--episode-gap-days", "-1", "--store", store])
        #expect(bad.status != 0 && bad.stderr.contains("--episode-gap-days"))
    }

    /// Pair deltas by the chain of the pair's institution (contract 4.4), rounded half away from
    /// zero: the legal pair's eight items differ by -9 in all (mean -1.125 -> -1.13).
    @Test func pairDeltasByChainAreMeansOfTheItemsRoundedHalfAwayFromZero() throws {
        let dir = try Scratch()
        let eight = ["a", "b", "c", "d", "e", "f", "g", "h"]
        let expected = "{" + eight.map { #""\#($0)":5"# }.joined(separator: ",") + "}"
        let experienced = "{" + eight.map { #""\#($0)":\#($0 == "h" ? 3 : 4)"# }.joined(separator: ",") + "}"
        func pair(_ n: String, _ institution: String, _ e: String, _ x: String) -> [String] {
            [#"{"id":"e\#(n)","type":"expectation","participant":"P","at":"2023-02-01","source":"esm","data":{"institution":"\#(institution)","plannedFor":"2023-02-10","statements":\#(e)}}"#,
             #"{"id":"x\#(n)","type":"experience","participant":"P","at":"2023-02-11","source":"esm","data":{"institution":"\#(institution)","contactOn":"2023-02-10","statements":\#(x)}}"#]
        }
        let (store, r) = try importing(dir, [
            #"{"id":"k-pol","type":"institution.coded","at":"2023-01-01","source":"manual","data":{"institution":"pol","name":"Police","categories":["legal.criminal.enforcement"],"levels":["regional"]}}"#,
            #"{"id":"k-ggz","type":"institution.coded","at":"2023-01-01","source":"manual","data":{"institution":"ggz","name":"GGZ","categories":["help.formal.health"],"levels":["regional"]}}"#,
        ] + pair("1", "pol", expected, experienced) + pair("2", "ggz", #"{"a":2}"#, #"{"a":2}"#) + pair("3", "x", #"{"a":1}"#, #"{"a":3}"#))
        #expect(r.status == 0, "\(r.stderr)")
        let stats = try CommandRunner.journey(["stats", "--format", "json", "--store", store]).stdout
        #expect(stats.contains(#""pairDeltaByChain": {"legal": {"items": 8, "mean": -1.13}, "help": {"items": 1, "mean": 0.0}, "both": {"items": 0, "mean": null}, "uncoded": {"items": 1, "mean": 2.0}}"#), "\(stats)")
        #expect(stats.contains(#""h": {"items": 1, "expected": 5.0, "experienced": 3.0, "mean": -2.0}"#))
        let out = dir.path + "/dump"
        #expect(try CommandRunner.journey(["dump", "--out", out, "--store", store]).status == 0)
        #expect(try String(contentsOfFile: out + "/stats.json", encoding: .utf8) == stats)
    }

    /// `--recorded-by` (contract 4.4): participant events and retractions count only if recorded
    /// (else appended) at or before the instant - exactly at it included; events without a
    /// participant are kept; participants are those with a kept event.
    @Test func recordedByReplaysWhatWasRecordedThen() throws {
        let dir = try Scratch()
        func contact(_ id: String, _ p: String, recorded: String?) -> String {
            let r = recorded.map { #""recorded":"\#($0)","# } ?? ""
            return #"{"id":"\#(id)","type":"contact","participant":"\#(p)","at":"2023-02-01",\#(r)"source":"esm","data":{"institution":"pol"}}"#
        }
        let (store, r) = try importing(dir, [
            #"{"id":"k-pol","type":"institution.coded","at":"2023-01-01","source":"manual","data":{"institution":"pol","name":"Police","categories":["legal.criminal.enforcement"],"levels":["regional"]}}"#,
            contact("P-c1", "P", recorded: "2023-02-02T10:00:00+01:00"),
            contact("P-c2", "P", recorded: "2023-03-01T10:00:00+01:00"),
            #"{"id":"P-r","type":"event.retracted","participant":"P","at":"2023-04-01","recorded":"2023-04-01T00:00:00Z","source":"manual","data":{"event":"P-c1","reason":"twice"}}"#,
            contact("Q-c1", "Q", recorded: "2023-05-01T00:00:00Z"),
            contact("R-c1", "R", recorded: nil),  // appended now
        ])
        #expect(r.status == 0, "\(r.stderr)")
        func participants(_ recordedBy: String?) throws -> [String] {
            let out = dir.path + "/dump-\(UUID().uuidString)"
            let r = try CommandRunner.journey(["dump", "--out", out, "--store", store] + (recordedBy.map { ["--recorded-by", $0] } ?? []))
            #expect(r.status == 0, "\(r.stderr)")
            return try String(contentsOfFile: out + "/participants.csv", encoding: .utf8).components(separatedBy: "\r\n").dropFirst()
                .filter { !$0.isEmpty }.map { $0.components(separatedBy: ",").prefix(6).joined(separator: ",") }
        }
        #expect(try participants("2023-03-01T09:00:00Z") == ["P,,,,2,2"])  // both contacts; exactly at P-c2's instant
        #expect(try participants("2023-03-01T08:59:59.999+00:00") == ["P,,,,1,1"])
        #expect(try participants("2023-04-02T00:00:00+02:00") == ["P,,,,1,1"])  // P-c1 retracted by then
        #expect(try participants("2023-06-01T00:00:00Z") == ["P,,,,1,1", "Q,,,,1,1"])
        #expect(try participants(nil) == ["P,,,,1,1", "Q,,,,1,1", "R,,,,1,1"])
        // The coding (no participant) is kept; the timeline and stats take the option too.
        let stats = try CommandRunner.journey(["stats", "--format", "json", "--recorded-by", "2023-03-01T09:00:00Z", "--store", store]).stdout
        #expect(stats.contains(#""participants": 1,"#) && stats.contains(#""legal": 1"#), "\(stats)")
        let timeline = try CommandRunner.journey(["timeline", "P", "--format", "json", "--recorded-by", "2023-02-15T00:00:00Z", "--store", store]).stdout
        #expect(timeline.contains("P-c1") && !timeline.contains("P-c2"), "\(timeline)")
        let bad = try CommandRunner.journey(["stats", "--recorded-by", "2023-03-01", "--store", store])
        #expect(bad.status != 0 && bad.stderr.contains("--recorded-by: \"2023-03-01\" is not an RFC 3339 date-time"), "\(bad.stderr)")
        // A dump made with it checks against the store.
        let out = dir.path + "/checked"
        #expect(try CommandRunner.journey(["dump", "--out", out, "--recorded-by", "2023-04-02T00:00:00+02:00", "--store", store]).status == 0)
        #expect(try CommandRunner.journey(["dump", "--check", out, "--store", store]).status == 0)
    }

    /// The sequence-analysis tables (issue 22 point 2), hand-computed: enrolled Monday 2 January
    /// 2023; a legal institution on 3 and 20 January (one episode), a help institution on 10
    /// January; exit on 31 January. Weeks from the enrolment week: legal, both, legal, none, none.
    @Test func sequenceTablesInSpellAndWeeklyForm() throws {
        let dir = try Scratch()
        let (store, r) = try importing(dir, [
            #"{"id":"k-pol","type":"institution.coded","at":"2023-01-01","source":"manual","data":{"institution":"pol","name":"Police","categories":["legal.criminal.enforcement"],"levels":["regional"],"kind":"police"}}"#,
            #"{"id":"k-ggz","type":"institution.coded","at":"2023-01-01","source":"manual","data":{"institution":"ggz","name":"GGZ","categories":["help.formal.health"],"levels":["regional"]}}"#,
            E2.enrolled("P-e", "2023-01-02"),
            Self.contact("P-1", "2023-01-03", institution: "pol"), Self.contact("P-2", "2023-01-20", institution: "pol"),
            Self.contact("P-3", "2023-01-10", institution: "ggz"),
            #"{"id":"P-x","type":"participant.exited","participant":"P","at":"2023-01-31","source":"manual","data":{"reason":"study-ended"}}"#,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let out = dir.path + "/dump"
        #expect(try CommandRunner.journey(["dump", "--out", out, "--sequences", "--format", "all", "--store", store]).status == 0)
        #expect(try csv(out + "/spells.csv") == [
            "participant,begin,end,state_kind,state_chain,institution",
            "P,2023-01-03,2023-01-20,police,legal,pol", "P,2023-01-10,2023-01-10,uncoded,help,ggz",
        ])
        #expect(try csv(out + "/sequence_weeks.csv") == [
            "participant,week,week_start,state",
            "P,1,2023-01-02,legal", "P,2,2023-01-09,both", "P,3,2023-01-16,legal", "P,4,2023-01-23,none", "P,5,2023-01-30,none",
        ])
        let check = try CommandRunner.run("/usr/bin/env", ["python3", DumpFormatTests.checker, out])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        // Without the flag, no sequence tables.
        let plain = dir.path + "/plain"
        #expect(try CommandRunner.journey(["dump", "--out", plain, "--store", store]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: plain + "/spells.csv"))
    }
}

/// Event lines for the study tests.
enum E2 {
    static func enrolled(_ id: String, _ at: String) -> String {
        #"{"id":"\#(id)","type":"participant.enrolled","participant":"P","at":"\#(at)","source":"intake-interview","data":{}}"#
    }
}
