import Foundation
import Testing
@testable import JourneyModel

/// The declarations (`EventSchema`) are the one description of the event format.
struct EventSchemaTests {
    /// `Schemas/event.schema.json` is the text `journey schema` generates from the declarations
    /// (regenerate with `swift run journey schema > Schemas/event.schema.json`).
    @Test func theSchemaFileIsGeneratedFromTheDeclarations() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Schemas/event.schema.json")
        let file = try String(contentsOf: url, encoding: .utf8)
        #expect(file == EventSchemaDocument.text(), "Schemas/event.schema.json differs from `journey schema`")
    }

    @Test func everyTypeHasItsDeclaration() {
        #expect(EventSchema.all.count == EventType.allCases.count)
        for type in EventType.allCases {
            let d = EventSchema.declaration(type)
            #expect(d.type == type)
            #expect(d.members.count <= PayloadValues.capacity)
            #expect(Set(d.members.map(\.name)).count == d.members.count, "\(type): a member declared twice")
        }
        #expect(EventSchemaDocument.definitionName(.participantEnrolled) == "participantEnrolledData")
        #expect(EventSchemaDocument.definitionName(.contact) == "contactData")
    }

    /// A member the strict parser reads is one the readers of stored records read: a line with
    /// every member of its type (optional ones included) is stored and decoded, full and
    /// compact, as the parser gave it.
    @Test func everyDeclaredMemberRoundTripsThroughTheStoredReaders() throws {
        let lines = [
            #"{"id":"e1","type":"participant.enrolled","participant":"P1","at":"2024-01-02","source":"manual","data":{"ageBand":"30-39","childrenWithExPartner":true,"abuse":["physical","online"]}}"#,
            #"{"id":"e2","type":"participant.exited","participant":"P1","at":"2024-01-02","source":"manual","data":{"reason":"withdrew"}}"#,
            #"{"id":"e3","type":"institution.coded","at":"2024-01-02","source":"manual","data":{"institution":"i1","name":"N","categories":["help.informal"],"levels":["local"],"reason":"r","kind":"coaching"}}"#,
            #"{"id":"e4","type":"contact","participant":"P1","at":"2024-01-02T10:00:00+01:00","source":"esm","data":{"institution":"i1","role":"x","reason":"y","mode":"phone","professional":"psychologist","for":"child"}}"#,
            #"{"id":"e5","type":"referral","participant":"P1","at":"2024-01-02","source":"manual","data":{"from":"self","to":"i1","outcome":"no-capacity","reason":"full","for":"family"}}"#,
            #"{"id":"e6","type":"expectation","participant":"P1","at":"2024-01-02","source":"esm","data":{"institution":"i1","plannedFor":"2024-01-05","cameVia":"network","needs":["a","b"],"expectedFulfilment":4,"statements":{"listened":3,"took-seriously":5}}}"#,
            #"{"id":"e7","type":"experience","participant":"P1","at":"2024-01-06","source":"esm","data":{"institution":"i1","contactOn":"2024-01-05","summary":"s","statements":{"listened":2}}}"#,
            #"{"id":"e8","type":"event.retracted","participant":"P1","at":"2024-01-07","source":"manual","data":{"event":"e7","reason":"typo"}}"#,
            #"{"id":"e9","type":"esm.session","participant":"P1","at":"2024-01-02T10:00:00+01:00","source":"esm","data":{"questionnaire":"q","kind":"basic","status":"partial","prompted":"2024-01-02T10:00:00+01:00","scheduled":"2024-01-02T10:00:00+01:00","started":"2024-01-02T10:01:00+01:00","ended":"2024-01-02T10:05:00+01:00","expires":"2024-01-02T12:00:00+01:00","contactLastWeek":true,"contactNextWeek":false,"answers":{"mood":"good"}}}"#,
            #"{"id":"e10","type":"covariate.defined","at":"2024-01-01","source":"manual","data":{"name":"education","kind":"category","label":"Education","labelNl":"Opleiding","categories":{"low":{"label":"Low","labelNl":"Laag"},"high":{"label":"High"}},"min":null,"max":null}}"#,
            #"{"id":"e11","type":"participant.described","participant":"P1","at":"2024-01-02","source":"intake-interview","data":{"covariates":{"education":"low","age":41,"children":true}}}"#,
            #"{"id":"e13","type":"institution.agreed","at":"2024-01-02","source":"manual","by":"checker","data":{"institution":"i1","name":"N","categories":["help.informal"],"levels":["local"],"reason":"r","kind":"coaching"}}"#,
            #"{"id":"e12","type":"statement.defined","at":"2024-01-01","source":"manual","data":{"item":"listened","label":"I was listened to","labelNl":"Er werd naar mij geluisterd","aliases":["listens"]}}"#,
        ]
        #expect(lines.count == EventType.allCases.count)
        let decoder = StoredEventDecoder()
        for line in lines {
            let parsed = try EventParser.parse(Array(line.utf8))
            let d = EventSchema.declaration(parsed.type)
            try Array(line.utf8).withUnsafeBytes { json in
                if [.covariateDefined, .participantDescribed, .statementDefined].contains(parsed.type) || line.contains(#""answers":{"#) {
                    // The codebook's few events, and a session's free answers, are left to the strict parser.
                    #expect(decoder.decode(json, type: parsed.type) == nil)
                    var a = InstitutionNumbers()
                    #expect(decoder.decodeCompact(json, type: parsed.type, seq: 1, numbers: &a) == nil)
                    return
                }
                #expect(decoder.decode(json, type: parsed.type) == parsed, "\(parsed.type)")
                var a = InstitutionNumbers(), b = InstitutionNumbers()
                let compact = try #require(decoder.decodeCompact(json, type: parsed.type, seq: 1, numbers: &a))
                #expect(compact == CompactEvent(seq: 1, event: parsed, numbers: &b), "\(parsed.type)")
            }
            // Every declared member is in the line, so every one of them was read.
            let object = try JSONValue.parse(Array(line.utf8))
            guard case .object(let envelope) = object, case .object(let data)? = envelope["data"] else { Issue.record("no data"); continue }
            #expect(Set(data.keys) == Set(d.members.map(\.name)), "\(parsed.type)")
        }
    }
}
