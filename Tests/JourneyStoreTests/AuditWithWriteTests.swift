import Foundation
import Testing
@testable import JourneyStore

/// Whoever calls the library, an import's audit entry is written by the import itself: with
/// the head's move when it appends, on its own when it appends nothing, is rejected or fails.
struct AuditWithWriteTests {
    @Test func everyOutcomeOfAnImportIsRecordedByTheImportItself() throws {
        let dir = try TemporaryDirectory()
        let store = try EventStore(directory: dir.path + "/s", create: true)
        var options = ImportOptions()
        options.audit = AuditRequest(action: "import", by: "alice")
        let good = try dir.file("good.jsonl", [coded, contact("c1"), contact("c2", "P2")])
        #expect(try store.importFile(good, options: options).appended == 3)
        #expect(try store.importFile(good, options: options).duplicates == 3)
        let bad = try dir.file("bad.jsonl", [contact("c3"), "{\"id\":\"x\"}"])
        #expect(try !store.importFile(bad, options: options).succeeded)
        options.maxLineBytes = 50
        let long = try dir.file("long.jsonl", [contact("c4")])
        #expect(throws: StoreError.self) { try store.importFile(long, options: options) }

        let entries = try store.auditEntries()
        #expect(entries.map(\.action) == ["import", "import", "import", "import"])
        #expect(entries.map(\.by) == ["alice", "alice", "alice", "alice"])
        #expect(entries.map { $0.detail["outcome"] } == ["appended", "appended", "rejected", "failed"])
        #expect(entries[0].detail["seqs"] == "1-3" && entries[0].logHead == 3 && entries[0].detail["file"] == good)
        #expect(entries[1].detail["appended"] == "0" && entries[1].detail["duplicates"] == "3")
        #expect(entries[2].detail["badLines"] == "1")
        #expect(entries[3].detail["reason"]?.contains("line longer than 50 bytes") == true)
        #expect(try store.head().seq == 3)
        #expect(try store.verifyAudit().problem == nil)
    }

    @Test func aStoreMadeWithACreationEntryHasItFromTheStart() throws {
        let dir = try TemporaryDirectory()
        let store = try EventStore(directory: dir.path + "/s", create: true,
                                   creation: AuditRequest(action: "init", by: "bob", detail: ["encrypted": "no"]))
        #expect(try store.auditEntries().map(\.action) == ["init"])
        // Opening it again (also to create) writes no second entry.
        let again = try EventStore(directory: dir.path + "/s", create: true, creation: AuditRequest(action: "init", by: "bob"))
        #expect(try again.auditEntries().count == 1)
    }
}
