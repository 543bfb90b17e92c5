import Foundation
import Testing

/// The codebooks in the log (contract 4.1): covariates and statement items defined by events,
/// checked against the log on import, and carried into the dump.
@Suite(.serialized)
struct CodebookTests {
    static func covariate(_ id: String, _ data: String, at: String = "2023-01-01") -> String {
        #"{"id":"\#(id)","type":"covariate.defined","at":"\#(at)","source":"manual","data":{\#(data)}}"#
    }
    static func described(_ id: String, _ p: String, _ covariates: String, at: String = "2023-02-01") -> String {
        #"{"id":"\#(id)","type":"participant.described","participant":"\#(p)","at":"\#(at)","source":"intake-interview","data":{"covariates":\#(covariates)}}"#
    }
    static func statement(_ id: String, _ data: String) -> String {
        #"{"id":"\#(id)","type":"statement.defined","at":"2023-01-01","source":"manual","data":{\#(data)}}"#
    }
    static let age = covariate("cov-age", #""name":"age","kind":"integer","label":"Age","labelNl":"Leeftijd","min":18,"max":99"#)
    static let education = covariate("cov-edu", #""name":"education","kind":"category","label":"Education","labelNl":"Opleiding","categories":{"low":{"label":"Primary or less","labelNl":"Basisonderwijs of minder"},"mid":{"label":"Secondary","labelNl":"Middelbaar"},"high":{"label":"Higher","labelNl":"Hoger"}}"#)
    static let children = covariate("cov-children", #""name":"children","kind":"boolean","label":"Children with the ex-partner""#)

    private func importFile(_ dir: Scratch, _ store: String, _ lines: [String]) throws -> CommandRunner.Result {
        let file = try dir.write("f-\(UUID().uuidString).jsonl", lines)
        return try CommandRunner.journey(["import", file, "--store", store])
    }

    private func csv(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    @Test func covariatesBecomeColumnsWithTheirDefinitions() throws {
        let dir = try Scratch()
        let store = dir.path + "/store"
        var r = try importFile(dir, store, [Self.age, Self.education, Self.children,
                                            Self.described("P-d1", "P", #"{"age":41,"education":"mid"}"#),
                                            Self.described("Q-d1", "Q", #"{"age":35,"children":true}"#)])
        #expect(r.status == 0, "\(r.stderr)")
        // A later file describes with the earlier file's definitions; the latest by time wins,
        // whatever the order the lines came in.
        r = try importFile(dir, store, [Self.described("P-d0", "P", #"{"age":39}"#, at: "2023-01-15"),
                                        Self.described("P-d2", "P", #"{"education":"high"}"#, at: "2023-03-01")])
        #expect(r.status == 0, "\(r.stderr)")
        // A redefinition that widens the bounds is in force.
        r = try importFile(dir, store, [Self.covariate("cov-age2", #""name":"age","kind":"integer","label":"Age in years","min":16"#, at: "2023-04-01")])
        #expect(r.status == 0, "\(r.stderr)")
        let out = dir.path + "/dump"
        r = try CommandRunner.journey(["dump", "--out", out, "--format", "all", "--labels", "nl", "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        let participants = try csv(out + "/participants.csv")
        #expect(participants[0].hasSuffix(",max_concurrent,unnamed_contacts,age,children,education"))
        #expect(participants[1].hasPrefix("P,,,,3,") && participants[1].hasSuffix(",41,,high"), "\(participants[1])")
        #expect(participants[2].hasPrefix("Q,,,,1,") && participants[2].hasSuffix(",35,true,"), "\(participants[2])")
        #expect(try csv(out + "/covariates.csv") == [
            "name,kind,label,label_nl,categories", "age,integer,Age in years,,", "children,boolean,Children with the ex-partner,,",
            "education,category,Education,Opleiding,high;low;mid",
        ])
        let package = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/datapackage.json"))) as? [String: Any])
        let resources = try #require(package["resources"] as? [[String: Any]])
        let fields = try #require((resources.first { $0["name"] as? String == "participants" }?["schema"] as? [String: Any])?["fields"] as? [[String: Any]])
        let education = try #require(fields.first { $0["name"] as? String == "education" })
        #expect(education["type"] as? String == "string")
        #expect((education["constraints"] as? [String: Any])?["enum"] as? [String] == ["high", "low", "mid"], "\(education)")
        #expect(fields.first { $0["name"] as? String == "age" }?["type"] as? String == "integer")
        let check = try CommandRunner.run("/usr/bin/env", ["python3", DumpFormatTests.checker, out, "--labels", "nl"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(try CommandRunner.journey(["verify", "--store", store]).status == 0)
        // The timeline shows the descriptions.
        #expect(try csv(out + "/timeline.csv").contains { $0.contains(",P-d1,participant.described,") })
    }

    @Test func theCodebookRulesRejectTheFileNamingTheLine() throws {
        let dir = try Scratch()
        let store = dir.path + "/store"
        #expect(try importFile(dir, store, [Self.age, Self.education, Self.statement("st-l", #""item":"listened","label":"Listened to","aliases":["listens"]"#)]).status == 0)
        let cases: [(String, String)] = [
            (Self.described("x", "P", #"{"height":170}"#), #"data.covariates.height: no covariate "height" is defined earlier"#),
            (Self.described("x", "P", #"{"age":41.5}"#), "data.covariates.age: must be an integer written without fraction or exponent"),
            (Self.described("x", "P", #"{"age":4e1}"#), "data.covariates.age: must be an integer"),
            (Self.described("x", "P", #"{"age":120}"#), "data.covariates.age: must be at most 99"),
            (Self.described("x", "P", #"{"age":"41"}"#), "data.covariates.age: must be an integer"),
            (Self.described("x", "P", #"{"education":"phd"}"#), "data.covariates.education: must be one of the categories of education: high, low, mid"),
            (Self.covariate("x", #""name":"age","kind":"number","label":"Age""#), "data.kind: a redefinition of age must keep its kind integer"),
            (Self.covariate("x", #""name":"age","kind":"integer","label":"Age","min":20,"max":99"#), "data.min: a redefinition of age may not narrow its bounds"),
            (Self.covariate("x", #""name":"age","kind":"integer","label":"Age","min":18,"max":80"#), "data.max: a redefinition of age may not narrow its bounds"),
            (Self.covariate("x", #""name":"education","kind":"category","label":"E","categories":{"low":{"label":"L"}}"#), #"must keep the category "high""#),
            (#"{"id":"x","type":"event.retracted","at":"2023-06-01","source":"manual","data":{"event":"cov-age","reason":"oops"}}"#, "is a covariate.defined, which cannot be retracted"),
            (#"{"id":"x","type":"expectation","participant":"P","at":"2023-06-01","source":"esm","data":{"institution":"gp","plannedFor":"2023-06-02","statements":{"helped":3}}}"#, "data.statements.helped: not a defined statement item or alias"),
            (#"{"id":"x","type":"experience","participant":"P","at":"2023-06-01","source":"esm","data":{"institution":"gp","contactOn":"2023-06-01","statements":{"listened":3,"listens":4}}}"#, #""listened" and "listens" are ids of one item"#),
            (Self.statement("x", #""item":"listens","label":"L""#), #"data.item: "listens" is an alias of the item "listened""#),
            (Self.statement("x", #""item":"heard","label":"H","aliases":["listened"]"#), #"data.aliases: "listened" is a defined item"#),
            (Self.statement("x", #""item":"listened","label":"L""#), #"a redefinition of "listened" must keep the alias "listens""#),
        ]
        for (line, message) in cases {
            let r = try importFile(dir, store, [Self.described("ok", "P", #"{"age":40}"#), line])
            #expect(r.status != 0)
            #expect(r.stderr.contains(".jsonl:2: ") && r.stderr.contains(message), "\(line)\n\(r.stderr)")
        }
        #expect(try CommandRunner.journey(["info", "--store", store]).stdout.contains("events        3\n"))
        // Defined on an earlier line of the same file is defined earlier.
        let r = try importFile(dir, store, [Self.covariate("cov-h", #""name":"height","kind":"number","label":"Height""#),
                                            Self.described("P-h", "P", #"{"height":170.5}"#)])
        #expect(r.status == 0, "\(r.stderr)")
    }

    /// Aliases are resolved in every event, also those appended before the definition (contract
    /// 4.1): in statements.csv and in pairing's items.
    @Test func aliasesAreResolvedInStatementsAndPairs() throws {
        let dir = try Scratch()
        let store = dir.path + "/store"
        #expect(try importFile(dir, store, [
            #"{"id":"P-e1","type":"expectation","participant":"P","at":"2023-03-01","source":"esm","data":{"institution":"gp","plannedFor":"2023-03-05","statements":{"listens":2,"took-seriously":3}}}"#,
        ]).status == 0)
        #expect(try importFile(dir, store, [
            Self.statement("st-l", #""item":"listened","label":"I was listened to","labelNl":"Er werd naar mij geluisterd","aliases":["listens"]"#),
            Self.statement("st-t", #""item":"took-seriously","label":"I was taken seriously","aliases":["takes-seriously"]"#),
            #"{"id":"P-x1","type":"experience","participant":"P","at":"2023-03-06","source":"esm","data":{"institution":"gp","contactOn":"2023-03-05","statements":{"listened":5,"takes-seriously":1}}}"#,
        ]).status == 0)
        let out = dir.path + "/dump"
        #expect(try CommandRunner.journey(["dump", "--out", out, "--store", store]).status == 0)
        #expect(try csv(out + "/statements.csv") == [
            "participant,event_id,type,institution,on,item,score",
            "P,P-e1,expectation,gp,2023-03-05,listened,2", "P,P-e1,expectation,gp,2023-03-05,took-seriously,3",
            "P,P-x1,experience,gp,2023-03-05,listened,5", "P,P-x1,experience,gp,2023-03-05,took-seriously,1",
        ])
        #expect(try csv(out + "/pair_items.csv") == [
            "expectation_id,experience_id,item,expected,experienced,delta",
            "P-e1,P-x1,listened,2,5,3", "P-e1,P-x1,took-seriously,3,1,-2",
        ])
        let pairs = try CommandRunner.journey(["pairs", "--format", "json", "--store", store]).stdout
        #expect(pairs.contains("took-seriously") && !pairs.contains("takes-seriously") && !pairs.contains("\"listens\""), "\(pairs)")
    }
}
