import Foundation
import Testing
@testable import JourneyModel
@testable import JourneyStore

struct ImportTests {
    @Test func importAssignsGaplessSeqsAndExportRoundTrips() throws {
        let dir = try TemporaryDirectory()
        let store = try EventStore(directory: dir.path + "/s", create: true)
        let report = try store.importFile(try dir.file("a.jsonl", [coded, contact("c1"), "", "   ", contact("c2", "P2")]))
        #expect(report.succeeded)
        #expect(report.appended == 3)
        #expect(report.seqRange == 1...3)
        let out = try exported(store)
        let lines = out.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix(String(contact("c1").dropLast()) + #","seq":2,"appended":""#))

        // Export into a new store gives the same content.
        let again = try EventStore(directory: dir.path + "/t", create: true)
        let exportFile = dir.path + "/export.jsonl"
        try out.write(toFile: exportFile, atomically: true, encoding: .utf8)
        #expect(try again.importFile(exportFile).appended == 3)
        let reexported = try exported(again)
        let strip = { (s: String) in s.split(separator: "\n").map { String($0.prefix(upTo: $0.range(of: #","seq":"#)!.lowerBound)) } }
        #expect(strip(reexported) == strip(out))
        #expect(try again.verify().isWhole)
    }

    @Test func reimportIsIdempotentAndContentEqualityIgnoresOrderNullsAndStoreFields() throws {
        let dir = try TemporaryDirectory()
        let store = try EventStore(directory: dir.path + "/s", create: true)
        let file = try dir.file("a.jsonl", [coded, contact("c1")])
        #expect(try store.importFile(file).appended == 2)
        let second = try store.importFile(file)
        #expect(second.appended == 0 && second.duplicates == 2 && second.succeeded)
        let reordered = #"{"type":"contact","id":"c1","data":{"institution":"inst-a","role":null},"participant":"P1","source":"esm","at":"2023-05-01","seq":77}"#
        let third = try store.importFile(try dir.file("b.jsonl", [reordered]))
        #expect(third.duplicates == 1 && third.succeeded)
        #expect(try store.head().seq == 2)
    }

    @Test func duplicateWithinOneFileIsSkippedAndConflictRejectsTheFile() throws {
        let dir = try TemporaryDirectory()
        let store = try EventStore(directory: dir.path + "/s", create: true)
        let ok = try store.importFile(try dir.file("a.jsonl", [contact("c1"), contact("c1")]))
        #expect(ok.appended == 1 && ok.duplicates == 1)
        let bad = try store.importFile(try dir.file("b.jsonl", [contact("c9"), contact("c9", institution: "inst-b")]))
        #expect(!bad.succeeded)
        #expect(bad.errors.map(\.line) == [2])
        #expect(bad.errors[0].message.contains("conflict") && bad.errors[0].message.contains("line 1"))
        let logConflict = try store.importFile(try dir.file("c.jsonl", [contact("c1", institution: "inst-z")]))
        #expect(logConflict.errors.first?.message.contains("in the log at seq 1") == true)
        #expect(try store.head().seq == 1)
    }

    @Test func anyBadLineLeavesTheStoreUntouchedAndAllBadLinesAreReported() throws {
        let dir = try TemporaryDirectory()
        let store = try EventStore(directory: dir.path + "/s", create: true)
        _ = try store.importFile(try dir.file("base.jsonl", [coded, contact("c1")]))
        let before = try exported(store)
        let lines = [
            contact("n1"),
            "{not json",
            contact("n2"),
            #"{"id":"x","type":"contact","participant":"P1","at":"2023-13-01","source":"esm","data":{"institution":"a"}}"#,
            retraction("r1", of: "missing"),
            retraction("r2", of: "c1", participant: "P2"),
            retraction("r3", of: "code-a"),
            retraction("r4", of: "n3"),  // n3 comes later in the file
            contact("n3"),
        ]
        let report = try store.importFile(try dir.file("bad.jsonl", lines))
        #expect(!report.succeeded)
        #expect(report.errors.map(\.line) == [2, 4, 5, 6, 7, 8])
        #expect(report.errors[2].message.contains("not in the log or on an earlier line"))
        #expect(report.errors[3].message.contains("must be \"P1\""))
        #expect(report.errors[4].message.contains("must be absent"))
        #expect(try exported(store) == before)
        #expect(try store.verify().isWhole)
        #expect(try store.verify().staged == 0)
    }

    @Test func retractionRules() throws {
        let dir = try TemporaryDirectory()
        let store = try EventStore(directory: dir.path + "/s", create: true)
        let good = try store.importFile(try dir.file("a.jsonl", [
            coded, contact("c1"),
            retraction("r1", of: "c1"),
            retraction("r2", of: "c1"),  // retracting again is accepted
            retraction("r3", of: "code-a", participant: nil),
        ]))
        #expect(good.succeeded && good.appended == 5)
        let bad = try store.importFile(try dir.file("b.jsonl", [retraction("r9", of: "r1")]))
        #expect(bad.errors.first?.message.contains("itself a retraction") == true)
    }

    @Test func errorListIsCappedButCounted() throws {
        let dir = try TemporaryDirectory()
        let store = try EventStore(directory: dir.path + "/s", create: true)
        var options = ImportOptions()
        options.maxReportedErrors = 3
        let report = try store.importFile(try dir.file("a.jsonl", Array(repeating: "[]", count: 10)), options: options)
        #expect(report.errors.count == 3 && report.errorCount == 10)
    }

    @Test func bomAndCarriageReturnsAreAccepted() throws {
        let dir = try TemporaryDirectory()
        let store = try EventStore(directory: dir.path + "/s", create: true)
        let path = dir.path + "/bom.jsonl"
        try Data([0xEF, 0xBB, 0xBF] + Array((contact("c1") + "\r\n\r\n" + contact("c2")).utf8)).write(to: URL(fileURLWithPath: path))
        let report = try store.importFile(path)
        #expect(report.appended == 2)
    }

    @Test func theMapGrowsDuringAPipelinedImport() throws {
        let dir = try TemporaryDirectory()
        let store = try EventStore(directory: dir.path + "/s", create: true, initialMapSize: 1 << 20)
        var options = ImportOptions()
        options.batchSize = 3_000
        let lines = (0..<30_000).map { contact("grow-\($0)", "P\($0 % 97)", institution: "inst-\($0 % 31)") }
        let report = try store.importFile(try dir.file("big.jsonl", lines), options: options)
        #expect(report.succeeded && report.appended == 30_000)
        #expect(try store.info().sizeOnDisk > 4 << 20)
        #expect(try store.verify().isWhole)
    }

    @Test func smallBatchesStillCommitAllOrNothing() throws {
        let dir = try TemporaryDirectory()
        let store = try EventStore(directory: dir.path + "/s", create: true)
        var options = ImportOptions()
        options.batchSize = 2
        var lines = (1...9).map { contact("c\($0)", "P\($0 % 3)") }
        #expect(try store.importFile(try dir.file("a.jsonl", lines), options: options).appended == 9)
        lines = (10...20).map { contact("c\($0)") } + ["[]"]
        let bad = try store.importFile(try dir.file("b.jsonl", lines), options: options)
        #expect(!bad.succeeded)
        #expect(try store.head().seq == 9)
        let report = try store.verify()
        #expect(report.isWhole && report.staged == 0 && report.events == 9)
        #expect(try store.read { try $0.seqs(ofParticipant: "P1") } == [1, 4, 7])
    }

    /// Ids staged by earlier batches are indexed only when enough have gathered or the import
    /// commits (`StagedIndexEntries`): a repeat, a conflict or a retraction must still find
    /// them, before an intermediate flush of the index entries and after it, and the indexes
    /// must end up as a one-batch import leaves them.
    @Test func repeatsConflictsAndRetractionsFindEventsOfEarlierBatches() throws {
        let dir = try TemporaryDirectory()
        // Batches are cut where the parser's chunks of 2,048 lines end: with 2,048-event batches
        // the entries of events 1-20,480 are flushed after the tenth batch, 20,481-24,576 stay
        // staged in two more, and the rest is the last batch.
        var small = ImportOptions()
        small.batchSize = 2_048
        small.stagedIndexEvents = 10 * 2_048
        small.indexPartEntries = 5_000  // the flushes in several transactions, as large ones are
        let n = 24_600
        var lines = (1...n).map { contact("e\($0)", "P\($0 % 4)", institution: "inst-\($0 % 5)") }
        lines.append(contact("e2", "P2", institution: "inst-2"))                 // repeat of a flushed event
        lines.append(contact("e22000", "P0", institution: "inst-0"))            // repeat of a staged event
        lines.append(retraction("r1", of: "e5", participant: "P1"))             // target flushed
        lines.append(retraction("r2", of: "e23000", participant: "P0"))         // target staged
        let good = try dir.file("good.jsonl", lines)
        let stores = try [small, ImportOptions()].enumerated().map { i, options in
            let store = try EventStore(directory: dir.path + "/s\(i)", create: true)
            let report = try store.importFile(good, options: options)
            #expect(report.succeeded && report.appended == n + 2 && report.duplicates == 2)
            #expect(try store.verify().isWhole)
            return store
        }
        let contents = try stores.map { store in
            try store.read { s in try (0..<4).map { try s.seqs(ofParticipant: "P\($0)") } }
        }
        #expect(contents[0] == contents[1] && contents[0].map(\.count) == [6151, 6151, 6150, 6150])

        // Conflicts with a flushed and a staged event, a retraction naming the wrong participant:
        // the file is rejected and nothing stays.
        let store = try EventStore(directory: dir.path + "/conflicts", create: true)
        let bad = try store.importFile(try dir.file("bad.jsonl", Array(lines[0..<n]) + [
            contact("e3", "P3", institution: "inst-9"), contact("e23001", "P1", institution: "inst-9"),
            retraction("r3", of: "e24590", participant: "P1"),
        ]), options: small)
        #expect(!bad.succeeded && bad.appended == 0)
        #expect(bad.errors.map(\.line) == [n + 1, n + 2, n + 3])
        #expect(bad.errors.count == 3 && bad.errors[0].message.contains("already on line 3 "))
        #expect(bad.errors.count == 3 && bad.errors[1].message.contains("already on line 23001 "))
        #expect(bad.errors.count == 3 && bad.errors[2].message.contains(#"must be "P2""#))
        #expect(try store.head().seq == 0)
        #expect(try store.verify().isWhole)
    }
}
