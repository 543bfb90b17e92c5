import Foundation
import Testing
@testable import JourneyModel

struct JSONTests {
    private func compact(_ text: String) throws -> String {
        var out: [UInt8] = []
        try Array(text.utf8).withUnsafeBytes { raw in try JSONCompactor.compact(raw, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    @Test func compactorKeepsOrderAndEscapesButDropsNullsWhitespaceAndStoreFields() throws {
        let input = #" { "id" : "a\u0062" , "by" : null, "data": {"x": [1, 2], "y": null}, "seq": 4, "hash": "h" } "#
        #expect(try compact(input) == #"{"id":"a\u0062","data":{"x":[1,2]}}"#)
    }

    @Test func jsonValueEqualityIgnoresMemberOrderAndEscapes() throws {
        let a = try JSONValue.parse(Array(#"{"a":1,"b":"\u0041"}"#.utf8))
        let b = try JSONValue.parse(Array(#"{"b":"A","a":1}"#.utf8))
        #expect(a == b)
        let c = try JSONValue.parse(Array(#"{"b":"A","a":2}"#.utf8))
        #expect(a != c)
    }

    @Test func compactFlagIsSetOnlyForAlreadyCompactLines() throws {
        var isCompact = false
        _ = try Array(validContact.utf8).withUnsafeBytes { raw in try EventParser.parse(raw, isCompact: &isCompact) }
        #expect(isCompact)
        let spaced = validContact.replacingOccurrences(of: ",\"at\"", with: ", \"at\"")
        _ = try Array(spaced.utf8).withUnsafeBytes { raw in try EventParser.parse(raw, isCompact: &isCompact) }
        #expect(!isCompact)
    }

    /// The scanner skips plain bytes eight at a time and jumps to the first byte that is not
    /// plain: every kind of such byte, at every position and after every prefix length, is seen.
    @Test func everySpecialByteIsFoundAtEveryPosition() throws {
        for length in 0..<20 {
            for position in 0...length {
                let head = String(repeating: "a", count: position), tail = String(repeating: "b", count: length - position)
                for (inner, valid, value) in [(#"\n"#, true, "\n"), (#"\u00e9"#, true, "é"), ("é", true, "é"), ("€", true, "€"),
                                              ("\u{01}", false, ""), ("\u{1F}", false, "")] {
                    let text = #"{"k":""# + head + inner + tail + #"","z":1}"#
                    let parsed = try? JSONValue.parse(Array(text.utf8))
                    if valid {
                        #expect(parsed == .object(["k": .string(head + value + tail), "z": .number("1")]), "\(text)")
                    } else {
                        #expect(parsed == nil, "\(text)")
                    }
                }
                let plain = #"{"k":""# + head + tail + #""}"#
                #expect(try JSONValue.parse(Array(plain.utf8)) == .object(["k": .string(head + tail)]))
            }
        }
    }
}
