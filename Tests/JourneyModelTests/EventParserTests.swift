import Foundation
import Testing
@testable import JourneyModel

/// A valid line of each type, for mutation.
let validContact = #"{"id":"c1","type":"contact","participant":"P01","at":"2023-05-14","source":"esm","data":{"institution":"police-ams"}}"#

/// One line of each event type, in `EventType.allCases` order, with every optional member.
enum EveryTypeLines {
    static let all = [
        #"{"id":"e1","type":"participant.enrolled","participant":"P01","at":"2023-03-14","source":"intake-interview","data":{"ageBand":"35-44","childrenWithExPartner":true,"abuse":["psychological","physical"]}}"#,
        #"{"id":"e2","type":"participant.exited","participant":"P01","at":"2024-05-01","source":"closing-interview","data":{"reason":"withdrew"}}"#,
        #"{"id":"e3","type":"institution.coded","at":"2023-03-01","source":"manual","by":"c1","data":{"institution":"vt","name":"Veilig Thuis","categories":["help.formal.advice","legal.criminal.enforcement"],"levels":["national","regional"],"reason":"r"}}"#,
        #"{"id":"e4","type":"contact","participant":"P01","at":"2023-05-14T23:30:00+02:00","recorded":"2023-05-15T08:00:00Z","source":"esm","data":{"institution":"vt","role":"r","reason":"x","mode":"phone"}}"#,
        #"{"id":"e5","type":"referral","participant":"P01","at":"2023-05-14","source":"case-file","data":{"from":"self","to":"vt","outcome":"no-capacity","reason":"full"}}"#,
        #"{"id":"e6","type":"expectation","participant":"P01","at":"2023-05-14","source":"esm","data":{"institution":"vt","plannedFor":"2023-05-17","cameVia":"network","needs":["a","b"],"expectedFulfilment":0,"statements":{"a":0,"b":5}}}"#,
        #"{"id":"e7","type":"experience","participant":"P01","at":"2023-05-21","source":"esm","data":{"institution":"vt","contactOn":"2023-05-18","summary":"ok","statements":{}}}"#,
        #"{"id":"e8","type":"event.retracted","participant":"P01","at":"2023-05-21","source":"manual","data":{"event":"e7","reason":"typo"}}"#,
        #"{"id":"e9","type":"esm.session","participant":"P01","at":"2023-05-21T08:30:00Z","recorded":"2023-05-21T09:00:00Z","source":"esm","data":{"questionnaire":"Weekly","kind":"retrospective","status":"partial","prompted":"2023-05-21T08:30:00Z","scheduled":"2023-05-21T08:30:00Z","started":"2023-05-21T08:55:00Z","ended":"2023-05-21T08:59:00Z","expires":"2023-05-21T20:30:00Z"}}"#,
        #"{"id":"e10","type":"covariate.defined","at":"2023-01-01","source":"manual","data":{"name":"age","kind":"integer","label":"Age","labelNl":"Leeftijd","min":18,"max":99}}"#,
        #"{"id":"e11","type":"participant.described","participant":"P01","at":"2023-03-14","source":"intake-interview","data":{"covariates":{"age":41}}}"#,
        #"{"id":"e12","type":"statement.defined","at":"2023-01-01","source":"manual","data":{"item":"listened","label":"I was listened to","aliases":["listens"]}}"#,
        #"{"id":"e13","type":"institution.agreed","at":"2023-03-02","source":"manual","by":"c1","data":{"institution":"vt","name":"Veilig Thuis","categories":["help.formal.advice"],"levels":["national","regional"],"reason":"consensus","kind":"veilig-thuis"}}"#,
    ]
}

func parse(_ line: String) throws(InputError) -> Event { try EventParser.parse(Array(line.utf8)) }

func rejection(_ line: String) -> String? {
    do {
        _ = try parse(line)
        return nil
    } catch {
        return error.message
    }
}

struct EventParserTests {
    @Test func theInstitutionsAnEventNamesAtMostTwoInFieldOrder() throws {
        let expected: [[String]] = [[], [], ["vt"], ["vt"], ["vt"], ["vt"], ["vt"], [], [], [], [], [], ["vt"]]  // EveryTypeLines.all
        let more: [(String, [String])] = [
            (#"{"id":"r3","type":"referral","participant":"P","at":"2023-05-14","source":"esm","data":{"from":"a","to":"b","outcome":"accepted"}}"#, ["a", "b"]),
            (#"{"id":"x3","type":"expectation","participant":"P","at":"2023-05-14","source":"esm","data":{"institution":"a","plannedFor":"2023-05-17","cameVia":"b","statements":{}}}"#, ["a", "b"]),
            (#"{"id":"x4","type":"expectation","participant":"P","at":"2023-05-14","source":"esm","data":{"institution":"a","plannedFor":"2023-05-17","statements":{}}}"#, ["a"]),
        ]
        for (line, names) in Array(zip(EveryTypeLines.all, expected)) + more {
            let payload = try parse(line).payload
            let pair = payload.institutionPair
            #expect(pair.0 == names.first && pair.1 == (names.count > 1 ? names[1] : nil), "\(line)")
            #expect(payload.institutions == names, "\(line)")
        }
    }

    @Test func typeNamesAreMatchedExactlyWithOrWithoutEscapes() throws {
        for type in EventType.allCases {
            #expect(EventType(nameBytes: UnsafeRawBufferPointer(start: nil, count: 0)) == nil)
            let name = Array(type.name.utf8)
            #expect(name.withUnsafeBytes { EventType(nameBytes: $0) } == type)
            #expect((name + [0x73]).withUnsafeBytes { EventType(nameBytes: $0) } == nil)
            #expect(Array(name.dropLast()).withUnsafeBytes { EventType(nameBytes: $0) } == nil)
        }
        #expect(try parse(#"{"id":"c1","type":"cont\u0061ct","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x"}}"#).type == .contact)
        #expect(rejection(#"{"id":"c1","type":"Contact","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x"}}"#)?
            .contains("unknown event type \"Contact\"") == true)
        #expect(rejection(#"{"id":"c1","type":7,"participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x"}}"#)?
            .contains("type: expected a string") == true)
    }

    @Test func enumValuesAndDatesAreMatchedExactlyWithOrWithoutEscapes() throws {
        func referral(_ source: String, _ outcome: String) -> String {
            #"{"id":"r1","type":"referral","participant":"P","at":"2023-01-01","source":"\#(source)","data":{"from":"a","to":"b","outcome":"\#(outcome)"}}"#
        }
        let plain = try parse(referral("esm", "refused"))
        #expect(plain.source == .esm)
        guard case .referral(let r) = plain.payload else { Issue.record("not a referral"); return }
        #expect(r.outcome == .refused)
        #expect(try parse(referral(#"\u0065sm"#, #"refus\u0065d"#)) == plain)
        for (source, outcome, reason) in [("Esm", "refused", "source: "), ("esmx", "refused", "source: "), ("es", "refused", "source: "),
                                          ("esm", "refuse", "data.outcome: "), ("esm", "refusedd", "data.outcome: "), ("esm", "", "data.outcome: ")] {
            #expect(rejection(referral(source, outcome))?.contains(reason) == true, "\(source) \(outcome)")
        }
        func experience(_ contactOn: String) -> String {
            #"{"id":"x1","type":"experience","participant":"P","at":"2023-01-09","source":"esm","data":{"institution":"a","contactOn":"\#(contactOn)","statements":{}}}"#
        }
        let dated = try parse(experience("2023-01-08"))
        guard case .experience(let x) = dated.payload else { Issue.record("not an experience"); return }
        #expect(x.contactOn.description == "2023-01-08")
        #expect(try parse(experience(#"2023-01-0\u0038"#)) == dated)
        for bad in ["2023-02-30", "2023-1-08", "2023-01-080", "20230108xx", #"2023-02-3\u0030"#] {
            #expect(rejection(experience(bad))?.contains("data.contactOn: ") == true, "\(bad)")
        }
    }

    /// The codebook events' own rules (contract 4.1); those against the log are the importer's.
    @Test func codebookEventsFollowTheirRules() throws {
        func covariate(_ data: String) -> String {
            #"{"id":"c","type":"covariate.defined","at":"2023-01-01","source":"manual","data":{\#(data)}}"#
        }
        let education = try parse(covariate(#""name":"education","kind":"category","label":"Education","categories":{"mbo":{"label":"Vocational","labelNl":"MBO"},"hbo":{"label":"Higher"}}"#))
        guard case .covariateDefined(let c) = education.payload else { Issue.record("not a covariate"); return }
        #expect(c.categories == [CovariateCategory(code: "hbo", label: "Higher"), CovariateCategory(code: "mbo", label: "Vocational", labelNl: "MBO")])
        for (data, message) in [
            (#""name":"Age","kind":"integer","label":"x""#, "data.name: \"Age\" must be a lowercase letter"),
            (#""name":"a23456789012345678901234567890123","kind":"integer","label":"x""#, "data.name"),
            (#""name":"events","kind":"integer","label":"x""#, "is a column of participants.csv"),
            (#""name":"age","kind":"integer","label":"x","min":5,"max":4"#, "data.min: must not be more than data.max"),
            (#""name":"age","kind":"text","label":"x","min":5"#, "data.min: only an integer or number covariate has bounds"),
            (#""name":"edu","kind":"category","label":"x""#, #"missing required field "data.categories""#),
            (#""name":"edu","kind":"text","label":"x","categories":{"a":{"label":"A"}}"#, "only a covariate of kind category has categories"),
            (#""name":"edu","kind":"category","label":"x","categories":{}"#, "data.categories: must not be empty"),
            (#""name":"edu","kind":"category","label":"x","categories":{"a":{"text":"A"}}"#, "data.categories.a.label: must be a string"),
            (#""name":"edu","kind":"category","label":"x","categories":{"a":{"label":"A","colour":"red"}}"#, #"unknown field "colour""#),
            (#""name":"age","kind":"number","label":"x","max":1e999"#, "is not a finite number"),
            (#""name":"age","kind":"decimal","label":"x""#, "data.kind"),
        ] {
            #expect(rejection(covariate(data))?.contains(message) == true, "\(data): \(rejection(covariate(data)) ?? "accepted")")
        }
        func described(_ covariates: String) -> String {
            #"{"id":"d","type":"participant.described","participant":"P","at":"2023-01-01","source":"manual","data":{"covariates":\#(covariates)}}"#
        }
        #expect(rejection(described("{}"))?.contains("data.covariates: must not be empty") == true)
        #expect(rejection(described(#"{"age":null}"#))?.contains("data.covariates.age: must not be null") == true)
        #expect(rejection(described(#"{"age":[1]}"#))?.contains("must be a number, true or false, or a string") == true)
        #expect(rejection(#"{"id":"d","type":"covariate.defined","participant":"P","at":"2023-01-01","source":"manual","data":{"name":"age","kind":"integer","label":"x"}}"#)?
            .contains("participant: must be absent") == true)
        #expect(rejection(#"{"id":"s","type":"statement.defined","at":"2023-01-01","source":"manual","data":{"item":"a","label":"A","aliases":["b","b"]}}"#)?
            .contains("data.aliases: \"b\" is repeated") == true)
    }

    @Test func parsesEveryTypeWithAllFields() throws {
        let lines = EveryTypeLines.all
        let types = try lines.map { try parse($0).type }
        #expect(types == EventType.allCases)
        let e6 = try parse(lines[5])
        guard case .expectation(let x) = e6.payload else { Issue.record("not an expectation"); return }
        #expect(x.statements == [StatementScore(item: "a", score: 0), StatementScore(item: "b", score: 5)])
        #expect(x.plannedFor.description == "2023-05-17")
        #expect(e6.payload.institutions == ["vt"])
        let e5 = try parse(lines[4])
        #expect(e5.payload.institutions == ["vt"])
    }

    @Test func typeMayComeAfterData() throws {
        let e = try parse(#"{"data":{"institution":"x"},"id":"c","participant":"P","at":"2023-01-01","source":"esm","type":"contact"}"#)
        #expect(e.type == .contact)
    }

    @Test func nullOptionalsAreAbsent() throws {
        let e = try parse(#"{"id":"c","type":"contact","participant":"P","at":"2023-01-01","source":"esm","by":null,"recorded":null,"data":{"institution":"x","role":null}}"#)
        #expect(e.by == nil && e.recorded == nil)
        let coded = try parse(#"{"id":"c","type":"institution.coded","participant":null,"at":"2023-01-01","source":"manual","data":{"institution":"x","name":"X","categories":["help.informal"],"levels":["local"]}}"#)
        #expect(coded.participant == nil)
    }

    @Test func storeFieldsAreIgnored() throws {
        let e = try parse(#"{"id":"c","type":"contact","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x"},"seq":9,"appended":"x","hash":"y"}"#)
        #expect(e.id == "c")
    }

    @Test(arguments: [
        ("{\"id\":", "malformed JSON"),
        ("[1,2]", "not a JSON object"),
        ("\"text\"", "not a JSON object"),
        (#"{"id":"c","id":"d","type":"contact","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x"}}"#, "duplicate key \"id\""),
        (#"{"id":"c","type":"contact","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x","institution":"y"}}"#, "duplicate key"),
        (#"{"id":"c","type":"visit","participant":"P","at":"2023-01-01","source":"esm","data":{}}"#, "unknown event type"),
        (#"{"id":"c","type":"contact","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x"},"extra":1}"#, "unknown field \"extra\""),
        (#"{"id":"c","type":"contact","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x","colour":"red"}}"#, "unknown field \"colour\" in data of contact"),
        (#"{"id":"c","type":"contact","at":"2023-01-01","source":"esm","data":{"institution":"x"}}"#, "missing required field \"participant\""),
        (#"{"id":"c","type":"contact","participant":"P","source":"esm","data":{"institution":"x"}}"#, "missing required field \"at\""),
        (#"{"id":"c","type":"contact","participant":"P","at":"2023-01-01","source":"esm","data":{}}"#, "missing required field \"data.institution\""),
        (#"{"id":"c","type":"contact","participant":"P","at":"2023-02-30","source":"esm","data":{"institution":"x"}}"#, "not a valid date"),
        (#"{"id":"c","type":"contact","participant":"P","at":"2023-1-01","source":"esm","data":{"institution":"x"}}"#, "not a valid date"),
        (#"{"id":"c","type":"contact","participant":"P","at":"2023-01-01T10:00:00","source":"esm","data":{"institution":"x"}}"#, "RFC 3339"),
        (#"{"id":"c","type":"contact","participant":"P","at":"2023-01-01T25:00:00Z","source":"esm","data":{"institution":"x"}}"#, "RFC 3339"),
        (#"{"id":"c","type":"contact","participant":"P","at":"2023-01-01","recorded":"2023-01-01","source":"esm","data":{"institution":"x"}}"#, "recorded"),
        (#"{"id":"c","type":"experience","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x","contactOn":"2023-01-01","statements":{"a":6}}}"#, "out of range 0-5"),
        (#"{"id":"c","type":"experience","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x","contactOn":"2023-01-01","statements":{"a":-1}}}"#, "out of range 0-5"),
        (#"{"id":"c","type":"experience","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x","contactOn":"2023-01-01","statements":{"a":3.0}}}"#, "without fraction or exponent"),
        (#"{"id":"c","type":"experience","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x","contactOn":"2023-01-01","statements":{"a":3e0}}}"#, "without fraction or exponent"),
        (#"{"id":"c","type":"experience","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x","contactOn":"2023-01-01","statements":{"a":null}}}"#, "must not be null"),
        (#"{"id":"c","type":"experience","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x","contactOn":"2023-01-01","statements":{"a":"3"}}}"#, "expected an integer"),
        (#"{"id":"c d","type":"contact","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x"}}"#, "id: \"c d\""),
        (#"{"id":"c","type":"contact","participant":"P:1","at":"2023-01-01","source":"esm","data":{"institution":"x"}}"#, "participant"),
        (#"{"id":"c","type":"institution.coded","participant":"P","at":"2023-01-01","source":"manual","data":{"institution":"x","name":"X","categories":["help.informal"],"levels":["local"]}}"#, "must be absent on institution.coded"),
        (#"{"id":"c","type":"contact","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"self"}}"#, "is not an institution"),
        (#"{"id":"c","type":"referral","participant":"P","at":"2023-01-01","source":"esm","data":{"from":"a","to":"network","outcome":"accepted"}}"#, "is not an institution"),
        (#"{"id":"c","type":"referral","participant":"P","at":"2023-01-01","source":"esm","data":{"from":"a","to":"b","outcome":"maybe"}}"#, "data.outcome"),
        (#"{"id":"c","type":"contact","participant":"P","at":"2023-01-01","source":"survey","data":{"institution":"x"}}"#, "source"),
        (#"{"id":"c","type":"institution.coded","at":"2023-01-01","source":"manual","data":{"institution":"x","name":"X","categories":["help.nothing"],"levels":["local"]}}"#, "data.categories"),
        (#"{"id":"c","type":"institution.coded","at":"2023-01-01","source":"manual","data":{"institution":"x","name":"X","categories":["help.informal","help.informal"],"levels":["local"]}}"#, "repeated"),
        (#"{"id":"c","type":"institution.coded","at":"2023-01-01","source":"manual","data":{"institution":"x","name":"X","categories":[],"levels":["local"]}}"#, "must not be empty"),
        (#"{"id":"c","type":"participant.enrolled","participant":"P","at":"2023-01-01","source":"esm","data":{"abuse":["physical",null]}}"#, "must not be null"),
        (#"{"id":null,"type":"contact","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x"}}"#, "must not be null"),
        (#"{"id":"c","type":"contact","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x"}} x"#, "malformed JSON"),
        (#"{"id":"c","type":"contact","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"\ud800"}}"#, "lone surrogate"),
        (#"{"id":"c","type":"contact","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x","role":NaN}}"#, "malformed JSON"),
        (#"{"id":"c","type":"contact","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x",}}"#, "malformed JSON"),
    ])
    func rejectsBadInput(line: String, expected: String) {
        let message = rejection(line)
        #expect(message != nil, "accepted: \(line)")
        #expect(message?.contains(expected) == true, "message \(message ?? "nil") lacks \(expected)")
    }

    @Test func rejectsInvalidUTF8() {
        var bytes = Array(#"{"id":"c","type":"contact","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x","role":"ab"}}"#.utf8)
        let at = bytes.firstIndex(of: UInt8(ascii: "b"))!
        bytes[at] = 0xFF
        #expect(throws: InputError.self) { try EventParser.parse(bytes) }
        bytes[at] = 0xC0  // overlong lead byte
        #expect(throws: InputError.self) { try EventParser.parse(bytes) }
    }

    @Test func acceptsEscapedAndUnicodeStrings() throws {
        let e = try parse(#"{"id":"c","type":"contact","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x","role":"caf\u00e9 \ud83d\ude00 \"q\" ✓"}}"#)
        guard case .contact(let c) = e.payload else { Issue.record("not a contact"); return }
        #expect(c.role == "café 😀 \"q\" ✓")
    }

    @Test func leapSecondAndLowercaseSeparatorsAreAccepted() throws {
        let e = try parse(#"{"id":"c","type":"contact","participant":"P","at":"2016-12-31t23:59:60z","source":"esm","data":{"institution":"x"}}"#)
        #expect(e.at.instant != nil)
    }
}
