import Foundation
import Testing
@testable import JourneyModel

/// `-0` as a score: the JSON integer 0 (contract: scores are JSON integers), stored as `0`.
struct NegativeZeroScoreTests {
    static let experience = #"{"id":"x1","type":"experience","participant":"P1","at":"2023-01-02","source":"esm","data":{"institution":"i1","contactOn":"2023-01-01","statements":{"a":-0,"b":3}}}"#
    static let expectation = #"{"id":"x2","type":"expectation","participant":"P1","at":"2023-01-02","source":"esm","data":{"institution":"i1","plannedFor":"2023-01-05","expectedFulfilment":-0,"statements":{}}}"#

    @Test func minusZeroIsTheScoreZeroAndIsStoredAsZero() throws {
        for (line, stored) in [
            (Self.experience, Self.experience.replacingOccurrences(of: ":-0", with: ":0")),
            (Self.expectation, Self.expectation.replacingOccurrences(of: ":-0", with: ":0")),
        ] {
            var out: [UInt8] = []
            let event = try Array(line.utf8).withUnsafeBytes { try EventParser.parseAndStore($0, into: &out) }
            #expect(String(decoding: out, as: UTF8.self) == stored)
            // The stored form parses to the same event.
            #expect(try EventParser.parse(out) == event)
        }
        let parsed = try EventParser.parse(Array(Self.experience.utf8))
        guard case .experience(let experience) = parsed.payload else { Issue.record("not an experience"); return }
        #expect(experience.statements.map(\.score) == [0, 3])
    }

    @Test func otherSignedOrFractionalScoresAreStillRejected() {
        for bad in ["-1", "-00", "0.0", "-0.0", "6", "1e0"] {
            let line = Self.experience.replacingOccurrences(of: "\"a\":-0", with: "\"a\":\(bad)")
            #expect(throws: (any Error).self, "\(bad)") { try EventParser.parse(Array(line.utf8)) }
        }
    }

    @Test func textThatLooksLikeMinusZeroIsStoredAsWritten() throws {
        let line = #"{"id":"x3","type":"experience","participant":"P1","at":"2023-01-02","source":"esm","data":{"institution":"i1","contactOn":"2023-01-01","summary":"a:-0 b","statements":{}}}"#
        var out: [UInt8] = []
        _ = try Array(line.utf8).withUnsafeBytes { try EventParser.parseAndStore($0, into: &out) }
        #expect(String(decoding: out, as: UTF8.self) == line)
    }
}
