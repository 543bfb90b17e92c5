import Foundation
import JourneyModel
import JourneyStore
import Testing
@testable import Dumps
@testable import Projections

/// A dump renders rows from compact journeys and the texts copied from the records; records the
/// compact decoder steps aside from (escapes, another member order) are decoded in full. Both
/// ways give the same rows, byte for byte.
struct DumpJourneyTests {
    /// Events with escapes in ids, roles, reasons, statement items and dates, members in other
    /// orders, details that are empty or missing, referrers `self` and `network`.
    static let unusual: [String] = [
        #"{"id":"u\u003A1","type":"contact","participant":"PX","at":"2023-05-03","source":"esm","data":{"institution":"a","role":"ma\u00eftre, \"d\"","reason":"x"}}"#,
        #"{"id":"u2","type":"contact","participant":"PX","at":"2023-05-04T10:00:00+02:00","source":"esm","data":{"institution":"b","role":"","reason":"r, with comma"}}"#,
        #"{"data":{"institution":"b","plannedFor":"2023-05-06","statements":{"z":2,"a\u0301":4,"m":1},"cameVia":"network","expectedFulfilment":3},"id":"u3","type":"expectation","participant":"PX","at":"2023-05-01","source":"esm"}"#,
        #"{"id":"u4","type":"experience","participant":"PX","at":"2023-05-09","source":"esm","data":{"institution":"b","contactOn":"2023-05-07","statements":{"m":5,"a\u0301":1,"z":2,"q":0}}}"#,
        #"{"id":"u5","type":"referral","participant":"PX","at":"\u0032023-05-02","source":"esm","data":{"from":"self","to":"b","outcome":"refused","reason":"full"}}"#,
        #"{"id":"u6","type":"participant.exited","participant":"PX","at":"2023-06-01","source":"closing-interview","data":{"reason":"withdrew"}}"#,
        #"{"id":"u7","type":"contact","participant":"PX","at":"2023-05-05","source":"esm","data":{"institution":"a"}}"#,
        #"{"id":"u8","type":"contact","participant":"PX","at":"2023-05-06","source":"esm","data":{"institution":"a","role":"case worker","reason":"weekly"}}"#,
        #"{"id":"u9","type":"contact","participant":"PX","at":"2023-05-07","source":"esm","data":{"reason":"only a reason","institution":"a","role":""}}"#,
    ]

    private func rendered(_ f: Fixture, inFull: Bool) throws -> [String] {
        try f.state.catchUp()
        return try f.state.view { view in
            try view.participants().map { p in
                let (journey, texts, sessions) = try view.dumpJourney(of: p, decodingInFull: inFull)
                var d = DumpBatch(DumpBatch.Setting(forms: Dictionary(uniqueKeysWithValues: DumpBatch.Setting.tables.prefix(8).map {
                    ($0.name, TableRows.Form(csv: true, fields: false))
                })))
                d.add(ParticipantProjection(participant: p, journey: journey, numbers: view.institutionNumbers, events: [],
                                            texts: texts, inFull: sessions, windows: ProjectionWindows(), codebook: Codebook()))
                let items = d.items.map { "\($0.0) \($0.1) \($0.2.item) \($0.2.expected) \($0.2.experienced)" }
                return [d.participantRows, d.timeline, d.pairs, d.referrals, d.compliance].map { String(decoding: $0.csv, as: UTF8.self) }
                    .joined(separator: "|") + items.joined(separator: ";")
            }
        }
    }

    @Test(arguments: [21, 22] as [UInt64])
    func compactAndFullDecodingRenderTheSameRows(seed: UInt64) throws {
        let f = try Fixture()
        try f.importLines(Self.unusual + CatchUpPropertyTests.randomStream(seed: seed, count: 200))
        let compact = try rendered(f, inFull: false), full = try rendered(f, inFull: true)
        #expect(compact == full)
        #expect(compact.count == 4)
        // The unusual texts come out as written, quoted where CSV needs it.
        let px = try #require(compact.last)
        #expect(px.contains(#"PX,2023-05-03,1,u:1,contact,esm,a,,"maïtre, ""d"""#))
        #expect(px.contains(#"PX,2023-05-04T10:00:00+02:00,2,u2,contact,esm,b,,"r, with comma""#))
        #expect(px.contains("PX,b,paired,u3,u4,2023-05-06,2023-05-07,1,3"))
        #expect(px.contains("u3 u4 a\u{301} 4 1;u3 u4 m 1 5;u3 u4 z 2 2"))
        #expect(px.contains("PX,2023-05-02,5,u5,self,b,refused,true,false,1,false"))
        #expect(px.contains("PX,2023-05-06,8,u8,contact,esm,a,,case worker,case worker,weekly,,,participant,,\r\nPX,2023-05-07,9,u9,contact,esm,a,,only a reason,,only a reason,,,participant,,\r\n"))
        // The referral's reason and for (contract 4.5); the participant's enrolment columns,
        // largest concurrency and unnamed contacts.
        #expect(px.contains("PX,2023-05-02,5,u5,self,b,refused,true,false,1,false,full,participant"))
    }

    @Test func anEncryptedStoreRendersTheSameRows() throws {
        let keyDirectory = NSTemporaryDirectory() + "journey-key-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: keyDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: keyDirectory) }
        let lines = Self.unusual + CatchUpPropertyTests.randomStream(seed: 23, count: 120)
        let sealed = try Fixture(encryptedWith: try MasterKey.create(path: keyDirectory + "/master.key"))
        try sealed.importLines(lines)
        let plain = try Fixture()
        try plain.importLines(lines)
        #expect(try rendered(sealed, inFull: false) == rendered(plain, inFull: true))
    }
}
