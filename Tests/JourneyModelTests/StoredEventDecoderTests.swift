import Foundation
import Testing
@testable import JourneyModel

/// The trusting decoder of stored records must give exactly the strict parser's `Event` for
/// every record the strict parser accepts, or step aside (`nil`); it must never give another one.
struct StoredEventDecoderTests {
    /// Lines of every type with every optional member, escapes, non-ASCII text, members in
    /// unusual order, whitespace and nulls (which compaction removes).
    static let lines: [String] = EveryTypeLines.all + [
        #"{"id":"e1b","type":"participant.enrolled","participant":"P01","at":"2023-03-14","source":"intake-interview","data":{"childrenWithExPartner":false,"abuse":[]}}"#,
        #"{"id":"e1c","type":"participant.enrolled","participant":"P01","at":"2023-03-14","source":"intake-interview","data":{}}"#,
        #"{"id":"e8b","type":"event.retracted","at":"2023-05-21","source":"manual","data":{"event":"e3","reason":"coded twice"}}"#,
        // Escapes and non-ASCII text in free text, ids and dates.
        #"{"id":"e10","type":"contact","participant":"P\u0030\u0031","at":"2023-05-14","source":"esm","data":{"institution":"vt","role":"ma\u00eftre \"d\"\\ \n","reason":"caf\u00e9 ☕ 𝄞 \ud834\udd1e"}}"#,
        #"{"id":"e11","type":"experience","participant":"P01","at":"\u0032023-05-21","source":"esm","data":{"institution":"vt","contactOn":"2023-05-18","summary":"zo ging het: slecht én goed","statements":{"wordt \"gehoord\"":3,"ünïcode":1}}}"#,
        // Members in another order, data before type, whitespace and nulls.
        #"{ "data" : { "statements" : { "x" : 2 } , "institution" : "gp-1" , "plannedFor" : "2023-02-28" , "cameVia" : null } , "source" : "esm" , "at" : "2023-03-05T10:48:24.123456789+02:00" , "participant" : "P9" , "type" : "expectation" , "id" : "x:1" , "by" : null }"#,
        #"{"type":"referral","id":"r:2","participant":"P9","at":"2023-03-04","recorded":"2023-03-05T10:13:19-05:30","source":"esm","data":{"to":"youth-care-2","from":"rvdk-5","outcome":"refused"}}"#,
        #"{"id":"c1","type":"contact","participant":"P01","at":"2023-05-14","source":"esm","data":{"institution":"police-ams","mode":"in-person"}}"#,
    ]

    /// The stored form of a line (what the importer writes): the line itself when compact.
    static func stored(_ line: String) throws -> (Event, [UInt8]) {
        var out: [UInt8] = []
        let event = try Array(line.utf8).withUnsafeBytes { try EventParser.parseAndStore($0, into: &out) }
        return (event, out)
    }

    static func fixtureLines() throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var lines: [String] = []
        for file in ["Tests/EndToEndTests/Fixtures/cohort.jsonl", "examples/journey-example.jsonl"] {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            lines += text.split(separator: "\n").map(String.init)
        }
        return lines
    }

    @Test func decodesEveryStoredRecordExactlyAsTheStrictParser() throws {
        let decoder = StoredEventDecoder()
        let all = Self.lines + (try Self.fixtureLines())
        #expect(all.count > 40)
        var decodedFast = 0
        // Twice: the second pass reads the strings from the intern table.
        for _ in 0..<2 {
            for line in all {
                let (strict, stored) = try Self.stored(line)
                let fast = stored.withUnsafeBytes { decoder.decode($0, type: strict.type) }
                if let fast {
                    #expect(fast == strict, "\(line)")
                    decodedFast += 1
                }
                let reparsed = try stored.withUnsafeBytes { try EventParser.parse($0) }
                #expect(reparsed == strict)
            }
        }
        // Only the records whose dates are written with escapes, and the codebook's, may take the
        // strict path.
        #expect(decodedFast == 2 * (all.count - 1 - Self.codebookLines(all)))
    }

    /// How many of `lines` are codebook events (`covariate.defined`, `participant.described`,
    /// `statement.defined`), which the stored readers leave to the strict parser.
    static func codebookLines(_ lines: [String]) -> Int {
        lines.filter { line in
            ["covariate.defined", "participant.described", "statement.defined"].contains { line.contains(#""type":"\#($0)""#) }
        }.count
    }

    /// A damaged record whose text has a high surrogate escape followed by something other than
    /// a low one, or ends in a backslash, reads as replacement characters - it crashed the fast
    /// path (an arithmetic underflow) before.
    @Test func brokenEscapesInADamagedRecordDoNotCrash() throws {
        let decoder = StoredEventDecoder()
        for role in [#"\ud800\u0041"#, #"\ud800x"#, #"\ud800"#, #"\ud800\ud800"#] {
            let record = #"{"id":"c1","type":"contact","participant":"P","at":"2023-01-01","source":"esm","data":{"institution":"x","role":"\#(role)"}}"#
            let event = Array(record.utf8).withUnsafeBytes { decoder.decode($0, type: .contact) }
            guard case .contact(let c)? = event?.payload else { Issue.record("not read: \(role)"); continue }
            #expect(c.role?.unicodeScalars.first == "\u{FFFD}", "\(role)")
        }
    }

    @Test func aDamagedRecordIsNeverMisread() throws {
        let decoder = StoredEventDecoder()
        var random = SeededRandom(seed: 20261129)
        let records = try (Self.lines + (try Self.fixtureLines())).map { try Self.stored($0).1 }
        var strictAccepted = 0, fastAccepted = 0
        for _ in 0..<20_000 {
            let record = random.pick(records)
            let bytes = random.damaged(record, edits: 1...3)
            let strict = try? bytes.withUnsafeBytes { try EventParser.parse($0) }
            for type in EventType.allCases {
                guard let fast = bytes.withUnsafeBytes({ decoder.decode($0, type: type) }) else { continue }
                // Where the strict parser accepts the damaged record, the fast path gives its result
                // or nothing. (Where it rejects it, the fast path may read something - a category
                // missing from the taxonomy, say - but must not crash or read outside the bytes.)
                if type == strict?.type {
                    #expect(fast == strict)
                    fastAccepted += 1
                }
            }
            if strict != nil { strictAccepted += 1 }
        }
        #expect(strictAccepted > 100)
        #expect(fastAccepted > 100)
    }

    /// Every envelope name and every member name of each type's declaration is recognised, and
    /// no name with one byte changed, one dropped or one added is (unless it is another's name).
    @Test func memberNamesAreRecognisedExactly() {
        // Inside a longer buffer, as in a record: nothing past the name may count.
        func padded<T>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) -> T) -> T {
            let padded = [UInt8](repeating: 0x22, count: 4) + bytes + [UInt8](repeating: 0x3A, count: 12)
            return padded.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[4..<(4 + bytes.count)])) }
        }
        func variants(_ name: String) -> [[UInt8]] {
            let bytes = Array(name.utf8)
            var out: [[UInt8]] = [Array(bytes.dropLast()), Array(bytes.dropFirst()), bytes + [0x73]]
            for i in bytes.indices {
                var changed = bytes
                changed[i] ^= 0x20
                out.append(changed)
            }
            return out
        }
        let envelope: [(String, EnvelopeField)] = [
            ("id", .id), ("type", .type), ("participant", .participant), ("at", .at), ("recorded", .recorded),
            ("source", .source), ("by", .by), ("data", .data), ("seq", .seq), ("appended", .appended), ("hash", .hash),
        ]
        let envelopeNames = Set(envelope.map(\.0))
        for (name, expected) in envelope {
            #expect(padded(Array(name.utf8)) { EnvelopeField($0) } == expected, "\(name)")
            for v in variants(name) where !envelopeNames.contains(String(decoding: v, as: UTF8.self)) {
                #expect(padded(v) { EnvelopeField($0) } == nil, "\(String(decoding: v, as: UTF8.self))")
            }
        }
        var declared = 0
        for d in EventSchema.all {
            let names = d.members.map(\.name)
            for (i, name) in names.enumerated() {
                declared += 1
                #expect(padded(Array(name.utf8)) { d.member($0) } == i, "\(d.type).\(name)")
                #expect(d.member(named: name) == i)
                for v in variants(name) where !names.contains(String(decoding: v, as: UTF8.self)) {
                    #expect(padded(v) { d.member($0) } == nil, "\(d.type): \(String(decoding: v, as: UTF8.self))")
                }
            }
        }
        #expect(declared == 62)
    }
}
