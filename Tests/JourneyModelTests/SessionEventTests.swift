import Foundation
import Testing
@testable import JourneyModel

/// `esm.session`: one prompt of the questionnaire app (the ESM-import issue), parsed as strictly
/// as the contract's own types.
struct SessionEventTests {
    static let valid = #"{"id":"esm:P01:basic:20230514083000","type":"esm.session","participant":"P01","at":"2023-05-14T08:30:00.000000+00:00","source":"esm","data":{"questionnaire":"Weekly","kind":"basic","status":"completed","prompted":"2023-05-14T08:30:00.000000+00:00","scheduled":"2023-05-14T08:30:00Z","started":"2023-05-14T09:01:00Z","ended":null,"expires":"2023-05-14T20:30:00Z"}}"#

    @Test func parsesASession() throws {
        let e = try parse(Self.valid)
        #expect(e.type == .esmSession)
        guard case .session(let s) = e.payload else { Issue.record("not a session"); return }
        #expect(s.questionnaire == "Weekly" && s.kind == .basic && s.status == .completed)
        #expect(s.ended == nil)
        #expect(s.started?.text == "2023-05-14T09:01:00Z")
        #expect(e.payload.institutions.isEmpty)
    }

    @Test(arguments: [
        (#""kind":"basic""#, #""kind":"weekly""#, "data.kind"),
        (#""status":"completed""#, #""status":"done""#, "data.status"),
        (#""prompted":"2023-05-14T08:30:00.000000+00:00""#, #""prompted":"2023-05-14""#, "data.prompted"),
        (#""prompted":"2023-05-14T08:30:00.000000+00:00","#, "", "missing required field \"data.prompted\""),
        (#""questionnaire":"Weekly","#, "", "missing required field \"data.questionnaire\""),
        (#""participant":"P01","#, "", "missing required field \"participant\""),
        (#""expires":"2023-05-14T20:30:00Z""#, #""expires":"2023-05-14T20:30:00Z","notes":1"#, "unknown field \"notes\""),
        (#""expires":"2023-05-14T20:30:00Z""#, #""expires":"2023-05-14T20:30:00Z","answers":1"#, "data.answers: expected an object"),
        (#""expires":"2023-05-14T20:30:00Z""#, #""expires":"2023-05-14T20:30:00Z","answers":{"a":1}"#, "data.answers.a: must be a string"),
        (#""expires":"2023-05-14T20:30:00Z""#, #""expires":"2023-05-14T20:30:00Z","contactLastWeek":"ja""#, "data.contactLastWeek"),
    ])
    func rejectsABadSession(old: String, new: String, expected: String) {
        #expect(Self.valid.contains(old))
        let message = rejection(Self.valid.replacingOccurrences(of: old, with: new))
        #expect(message?.contains(expected) == true, "message \(message ?? "nil") lacks \(expected)")
    }
}
