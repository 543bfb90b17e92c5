import Foundation
import Testing
@testable import JourneyStore

struct ReadTests {
    @Test func participantIndexAndUptoAndInfo() throws {
        let dir = try TemporaryDirectory()
        let store = try EventStore(directory: dir.path + "/s", create: true)
        _ = try store.importFile(try dir.file("a.jsonl", [coded, contact("c1", "P1"), contact("c2", "P2", institution: "inst-b"), contact("c3", "P1")]))
        let p1 = try store.read { try $0.events(ofParticipant: "P1") }
        #expect(p1.map(\.seq) == [2, 4])
        #expect(try store.read { try $0.events(ofParticipant: "P1", upto: 3) }.map(\.seq) == [2])
        #expect(try store.read { try $0.events(ofParticipant: "nobody") }.isEmpty)
        #expect(try exported(store, upto: 2).split(separator: "\n").count == 2)
        #expect(try exported(store, participant: "P2").contains(#""id":"c2""#))
        let info = try store.info()
        #expect(info.events == 4 && info.participants == 2 && info.institutions == 2)
        #expect(info.format == "journeystore/2")
    }

    @Test func knownAtResolvesToTheLastSeqAppendedByThen() throws {
        let dir = try TemporaryDirectory()
        let store = try EventStore(directory: dir.path + "/s", create: true)
        _ = try store.importFile(try dir.file("a.jsonl", [contact("c1"), contact("c2")]))
        let between = Timestamp.nowMicros()
        usleep(2000)
        _ = try store.importFile(try dir.file("b.jsonl", [contact("c3")]))
        #expect(try store.read { try $0.lastSeq(appendedAtOrBefore: between) } == 2)
        #expect(try store.read { try $0.lastSeq(appendedAtOrBefore: 0) } == 0)
        #expect(try store.read { try $0.lastSeq(appendedAtOrBefore: Int64.max) } == 3)
    }

    @Test func missingStoreIsAClearError() throws {
        let dir = try TemporaryDirectory()
        #expect(throws: StoreError.self) { try EventStore(directory: dir.path + "/none") }
    }
}
