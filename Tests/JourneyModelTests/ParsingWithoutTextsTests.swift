import Foundation
import Testing
@testable import JourneyModel

/// An import parses without keeping texts (`EventParser.parse(keepsText: false)`): it must accept
/// and reject exactly the lines the full parse does, with the same messages, the same stored
/// bytes and the same keys - only the texts are left empty.
struct ParsingWithoutTextsTests {
    /// Statement items that only a byte-by-byte duplicate check could get wrong.
    static let statementLines: [String] = [
        #"{"id":"s1","type":"experience","participant":"P1","at":"2023-05-21","source":"esm","data":{"institution":"vt","contactOn":"2023-05-18","statements":{"a":1,"a":2}}}"#,
        #"{"id":"s2","type":"experience","participant":"P1","at":"2023-05-21","source":"esm","data":{"institution":"vt","contactOn":"2023-05-18","statements":{"a":1,"\u0061":2}}}"#,
        #"{"id":"s3","type":"experience","participant":"P1","at":"2023-05-21","source":"esm","data":{"institution":"vt","contactOn":"2023-05-18","statements":{"\u0062":1,"b":2}}}"#,
        #"{"id":"s4","type":"experience","participant":"P1","at":"2023-05-21","source":"esm","data":{"institution":"vt","contactOn":"2023-05-18","statements":{"ab":1,"a":2,"b":3,"ba":4}}}"#,
        #"{"id":"s5","type":"expectation","participant":"P1","at":"2023-05-21","source":"esm","data":{"institution":"vt","plannedFor":"2023-05-18","statements":{"x":1,"y":null}}}"#,
        #"{"id":"s6","type":"expectation","participant":"P1","at":"2023-05-21","source":"esm","data":{"institution":"vt","plannedFor":"2023-05-18","statements":{"x":1,"\u0079":9}}}"#,
        #"{"id":"s7","type":"expectation","participant":"P1","at":"2023-05-21","source":"esm","data":{"institution":"vt","plannedFor":"2023-05-18","statements":{"x":1,"y":2.0}}}"#,
        #"{"id":"s8","type":"contact","participant":"P1","at":"2023-05-32","source":"esm","data":{"institution":"vt","role":"r"}}"#,
        #"{"id":"s9","type":"contact","participant":"P1","at":"2023-05-14T25:00:00Z","recorded":"2023-05-14","source":"esm","data":{"institution":"vt"}}"#,
        #"{"id":"s10","type":"contact","participant":"P1","at":"2023-05-14","recorded":"2023-05-14","source":"esm","data":{"institution":"vt"}}"#,
    ]

    enum Outcome: Equatable {
        case accepted(keys: Keys, stored: [UInt8])
        case rejected(String)
    }

    /// What an import keeps of an event.
    struct Keys: Equatable {
        let id: String, participant: String?, type: EventType, date: CalendarDate, instant: Moment.Instant?
        let source: EventSource, institutions: [String?], retracts: String?
    }

    static func outcome(_ bytes: [UInt8], keepsText: Bool) -> Outcome {
        var stored: [UInt8] = []
        do {
            let e = try bytes.withUnsafeBytes { try EventParser.parseAndStore($0, into: &stored, keepsText: keepsText) }
            var retracts: String?
            if case .retracted(let r) = e.payload { retracts = r.event }
            let pair = e.payload.institutionPair
            return .accepted(keys: Keys(id: e.id, participant: e.participant, type: e.type, date: e.at.date, instant: e.at.instant,
                                        source: e.source, institutions: [pair.0, pair.1], retracts: retracts), stored: stored)
        } catch let error as InputError {
            return .rejected(error.message)
        } catch {
            return .rejected("\(error)")
        }
    }

    @Test func sameVerdictsMessagesStoredBytesAndKeysAsTheFullParse() throws {
        let corpus = (StoredEventDecoderTests.lines + (try StoredEventDecoderTests.fixtureLines()) + Self.statementLines).map { Array($0.utf8) }
        var lines = corpus
        // And damaged copies of them: bytes replaced, dropped, inserted, lines cut short.
        var random = SeededRandom(seed: 20261130)
        for _ in 0..<20_000 {
            let line = random.pick(corpus)
            lines.append(random.damaged(line, edits: 1...2))
        }
        var accepted = 0, rejected = 0
        for line in lines {
            let full = Self.outcome(line, keepsText: true)
            #expect(Self.outcome(line, keepsText: false) == full, "\(String(decoding: line, as: UTF8.self))")
            if case .accepted = full { accepted += 1 } else { rejected += 1 }
        }
        // Both verdicts are exercised, the statement checks among them.
        #expect(accepted > 500 && rejected > 10_000, "\(accepted) accepted, \(rejected) rejected")
        #expect(Self.statementLines.map { Self.outcome(Array($0.utf8), keepsText: false) }.map {
            if case .rejected(let m) = $0 { m } else { "accepted" }
        } == [
            #"data.statements: duplicate key "a""#, #"data.statements: duplicate key "a""#, #"data.statements: duplicate key "b""#,
            "accepted", "data.statements.y: must not be null", "data.statements.y: score 9 is out of range 0-5",
            "data.statements.y: score 2.0 must be an integer written without fraction or exponent",
            #"at: "2023-05-32" is not a valid date (YYYY-MM-DD) or RFC 3339 date-time with an offset"#,
            #"at: "2023-05-14T25:00:00Z" is not a valid date (YYYY-MM-DD) or RFC 3339 date-time with an offset"#,
            #"recorded: "2023-05-14" is not an RFC 3339 date-time with an offset (like 2023-05-14T08:30:00+02:00)"#,
        ])
    }

    @Test func theTextsAreLeftEmpty() throws {
        let line = Array(#"{"id":"t1","type":"contact","participant":"P1","at":"2023-05-14T08:30:00+02:00","source":"esm","by":"me","data":{"institution":"vt","role":"case worker","reason":"weekly"}}"#.utf8)
        var out: [UInt8] = []
        let lean = try line.withUnsafeBytes { try EventParser.parseAndStore($0, into: &out, keepsText: false) }
        let full = try line.withUnsafeBytes { try EventParser.parse($0) }
        #expect(full.at.text == "2023-05-14T08:30:00+02:00" && full.by == "me")
        #expect(lean.at.text == "" && lean.by == "" && lean.at.instant == full.at.instant)
        guard case .contact(let c) = lean.payload else { Issue.record("not a contact"); return }
        #expect(c.institution == "vt" && c.role == "" && c.reason == "")
    }
}
