import Foundation
import Testing

/// Several coders (contract 4.1, 4.4): codings side by side, disputes, consensus, and agreement
/// statistics checked against independent implementations - Python's `krippendorff` package and
/// scikit-learn's `cohen_kappa_score` - and against Krippendorff's own worked example.
@Suite(.serialized)
struct AgreementTests {
    static let kinds = ["police", "gp", "school", "shelter", "coaching", "faith"]

    /// An `institution.coded` line.
    static func coded(_ id: String, _ institution: String, by: String, categories: [String] = ["help.formal.health"],
                      levels: [String] = ["local"], kind: String?, at: String = "2023-01-01") -> String {
        let cats = categories.map { "\"\($0)\"" }.joined(separator: ","), lv = levels.map { "\"\($0)\"" }.joined(separator: ",")
        let k = kind.map { #","kind":"\#($0)""# } ?? ""
        return #"{"id":"\#(id)","type":"institution.coded","at":"\#(at)","source":"manual","by":"\#(by)","data":{"institution":"\#(institution)","name":"N","categories":[\#(cats)],"levels":[\#(lv)]\#(k)}}"#
    }

    private func store(_ dir: Scratch, _ lines: [String]) throws -> String {
        let store = dir.path + "/store-\(UUID().uuidString)"
        let r = try CommandRunner.journey(["import", try dir.write("c-\(UUID().uuidString).jsonl", lines), "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        return store
    }

    private func agreement(_ store: String) throws -> [[String: Any]] {
        let r = try CommandRunner.journey(["agreement", "--format", "json", "--bootstrap", "200", "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
    }

    /// Krippendorff's reliability-data example (K. Krippendorff, "Computing Krippendorff's
    /// Alpha-Reliability", 2011, section C: 4 observers, 12 units, values 1-5 with missing data):
    /// alpha for nominal data is 0.743. Each value is a kind of organisation here.
    @Test func krippendorffsWorkedExampleGivesAlpha0743() throws {
        let data: [[Int?]] = [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, nil, nil, nil],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nil, 3],
            [nil, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nil],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nil],
        ]
        var lines: [String] = []
        for (o, observer) in data.enumerated() {
            for (u, value) in observer.enumerated() {
                guard let value else { continue }
                lines.append(Self.coded("o\(o)-u\(u)", "unit-\(u)", by: "observer-\(o)", kind: Self.kinds[value]))
            }
        }
        let dir = try Scratch()
        let rows = try agreement(try store(dir, lines))
        let kind = try #require(rows.first { $0["dimension"] as? String == "kind" && $0["coders"] as? String == "all" })
        let alpha = try #require(kind["alpha"] as? Double)
        #expect(abs(alpha - 0.743) < 0.0005, "alpha \(alpha)")
        #expect(abs(alpha - 0.743421052631579) < 1e-9)
        #expect(kind["units"] as? Int == 11)  // the twelfth unit has one value: not pairable
        let low = try #require(kind["alphaLow"] as? Double), high = try #require(kind["alphaHigh"] as? Double)
        #expect(low <= alpha && alpha <= high)
    }

    /// Hand-made and random coding sets: every statistic equals Python's `krippendorff.alpha`
    /// (nominal) and scikit-learn's `cohen_kappa_score` to 1e-9.
    @Test(arguments: [0, 1, 2, 3] as [UInt64])
    func alphaAndKappaEqualIndependentImplementations(seed: UInt64) throws {
        var random = SystemRandomNumberGenerator()
        var generator = SplitMix(seed: seed)
        let coders = ["anna", "bert", "cleo"].prefix(seed == 0 ? 2 : 3)
        var lines: [String] = []
        var table: [String: [String: String]] = [:]  // coder -> institution -> kind
        for u in 0..<(seed == 0 ? 6 : 40) {
            let truth = Self.kinds[Int(generator.next() % UInt64(Self.kinds.count))]
            for coder in coders {
                if seed > 0 && generator.next() % 5 == 0 { continue }  // this coder did not code it
                let agrees = seed == 0 ? (u % 3 != 0 || coder == "anna") : generator.next() % 10 < 7
                let kind = agrees ? truth : Self.kinds[Int(generator.next() % UInt64(Self.kinds.count))]
                lines.append(Self.coded("\(coder)-\(u)", "inst-\(u)", by: coder, kind: kind))
                table[coder, default: [:]]["inst-\(u)"] = kind
            }
        }
        lines.shuffle(using: &random)
        let dir = try Scratch()
        let rows = try agreement(try store(dir, lines))
        let script = """
            import json, sys, numpy as np, krippendorff
            from sklearn.metrics import cohen_kappa_score
            table = json.loads(sys.argv[1]); kinds = json.loads(sys.argv[2])
            coders = sorted(table); units = sorted({u for c in coders for u in table[c]})
            units = [u for u in units if sum(u in table[c] for c in coders) >= 2]
            data = np.array([[kinds.index(table[c][u]) if u in table[c] else np.nan for u in units] for c in coders], dtype=float)
            out = {"all": krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"), "units": len(units)}
            for i, a in enumerate(coders):
                for b in coders[i + 1:]:
                    both = [u for u in units if u in table[a] and u in table[b]]
                    out[a + ";" + b] = cohen_kappa_score([table[a][u] for u in both], [table[b][u] for u in both])
            print(json.dumps(out))
            """
        let tableJSON = String(decoding: try JSONSerialization.data(withJSONObject: table), as: UTF8.self)
        let kindsJSON = String(decoding: try JSONSerialization.data(withJSONObject: Self.kinds), as: UTF8.self)
        let python = try CommandRunner.run("/usr/bin/env", ["python3", "-c", script, tableJSON, kindsJSON])
        #expect(python.status == 0, "\(python.stderr)")
        let expected = try #require(JSONSerialization.jsonObject(with: Data(python.stdout.utf8)) as? [String: Any])
        let kindRows = rows.filter { $0["dimension"] as? String == "kind" }
        let all = try #require(kindRows.first { $0["coders"] as? String == "all" })
        #expect(all["units"] as? Int == expected["units"] as? Int)
        #expect(abs((all["alpha"] as? Double ?? .nan) - (expected["all"] as? Double ?? .nan)) < 1e-9, "\(all) \(expected)")
        for row in kindRows where row["coders"] as? String != "all" {
            let pair = try #require(row["coders"] as? String)
            #expect(abs((row["kappa"] as? Double ?? .nan) - (expected[pair] as? Double ?? .nan)) < 1e-9, "\(pair): \(row) \(expected)")
        }
        #expect(kindRows.count == 1 + coders.count * (coders.count - 1) / 2)
    }

    /// Disputes, consensus and the dump's tables (contract 4.1, 4.5).
    @Test func disputesShowAndAConsensusSettlesThem() throws {
        let dir = try Scratch()
        let store = try store(dir, [
            Self.coded("j-wijk", "wijkagent-x", by: "janne", categories: ["help.formal.advice"], kind: "police"),
            Self.coded("h-wijk", "wijkagent-x", by: "hanne", categories: ["legal.criminal.enforcement"], kind: "police"),
            Self.coded("j-gp", "gp", by: "janne", kind: "gp"),
            Self.coded("h-gp", "gp", by: "hanne", kind: nil),  // no kind: not a difference
            Self.coded("j-old", "gp", by: "janne", kind: "school", at: "2022-01-01"),  // replaced by janne's later coding
            #"{"id":"P-c","type":"contact","participant":"P","at":"2023-02-01","source":"esm","data":{"institution":"wijkagent-x"}}"#,
        ])
        var codings = try CommandRunner.journey(["codings", "--disputed", "--format", "json", "--store", store])
        let disputed = try #require(JSONSerialization.jsonObject(with: Data(codings.stdout.utf8)) as? [[String: Any]])
        #expect(disputed.map { $0["institution"] as? String } == ["wijkagent-x"])
        #expect((disputed[0]["coders"] as? [[String: Any]])?.map { $0["by"] as? String } == ["hanne", "janne"])
        // A coder's name may not contain ";"; journey agree checks it too.
        let bad = try CommandRunner.journey(["import", try dir.write("bad.jsonl", [Self.coded("x", "gp", by: "a;b", kind: nil)]), "--store", store])
        #expect(bad.status != 0 && bad.stderr.contains(#"by: must not contain ";""#), "\(bad.stderr)")
        let agree = try CommandRunner.journey(["agree", "wijkagent-x", "--categories", "legal.criminal.enforcement", "help.formal.advice",
                                               "--levels", "local", "--kind", "police", "--reason", "community officer: both", "--by", "checker",
                                               "--at", "2023-03-01", "--store", store])
        #expect(agree.status == 0, "\(agree.stderr)")
        codings = try CommandRunner.journey(["codings", "--disputed", "--format", "json", "--store", store])
        #expect(codings.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]" || codings.stdout.contains("[]"), "\(codings.stdout)")
        #expect(try CommandRunner.journey(["audit", "--store", store]).stdout.contains("agree"))
        let out = dir.path + "/dump"
        #expect(try CommandRunner.journey(["dump", "--out", out, "--format", "all", "--store", store]).status == 0)
        let institutions = try String(contentsOfFile: out + "/institutions.csv", encoding: .utf8)
        #expect(institutions.contains("\r\nwijkagent-x,N,both,help.formal.advice;legal.criminal.enforcement,local,regional,1,1,police,hanne;janne,false\r\n"), "\(institutions)")
        #expect(institutions.contains("\r\ngp,N,help,help.formal.health,local,regional,0,0,gp,hanne;janne,false\r\n"))
        let codingsCSV = try String(contentsOfFile: out + "/codings.csv", encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(codingsCSV.count == 7)
        #expect(codingsCSV.contains("gp,j-gp,janne,2023-01-01,false,true,gp,help.formal.health,local"))
        #expect(codingsCSV.contains("gp,j-old,janne,2022-01-01,false,false,school,help.formal.health,local"))
        #expect(codingsCSV.contains { $0.hasPrefix("wijkagent-x,agreed-wijkagent-x-2023-03-01-") && $0.contains(",checker,2023-03-01,true,true,police,") })
        let agreement = try String(contentsOfFile: out + "/agreement.csv", encoding: .utf8)
        #expect(agreement.hasPrefix("dimension,coders,units,observed_agreement,alpha,kappa\r\nchain,all,2,0.5,"), "\(agreement)")
        #expect(agreement.contains("\r\nkind,all,1,1.0,,\r\n"))  // one unit where both gave a kind: 0/0
        let check = try CommandRunner.run("/usr/bin/env", ["python3", DumpFormatTests.checker, out])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }
}

/// A small seeded generator for the tests' coding sets.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
