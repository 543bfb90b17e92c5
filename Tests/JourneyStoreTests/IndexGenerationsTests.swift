import Foundation
import Testing
@testable import JourneyModel
@testable import JourneyStore
import LMDB

/// The id and participant indexes in generations (`Schemas/STORAGE.md`, "Index generations"):
/// a store filled by many imports - its indexes written as many generations, merged as they
/// gather - reads exactly as one filled by a single import; generations left unlisted are emptied
/// by the next writer; a `journeystore/1` store is read as it is and upgraded when written.
struct IndexGenerationsTests {
    /// Twelve files of 60 events over 7 participants; later files retract and repeat events of
    /// earlier ones.
    static func files(_ dir: TemporaryDirectory) throws -> [[String]] {
        (0..<12).map { f in
            var lines = (0..<60).map { i in contact("f\(f)-\(i)", "P\((f * 60 + i) % 7)", institution: "inst-\(i % 9)", at: "2023-05-\(10 + i % 18)") }
            if f > 0 {
                lines.append(retraction("r\(f)", of: "f\(f - 1)-\(f)", participant: "P\(((f - 1) * 60 + f) % 7)"))
                lines.append(contact("f0-\(f)", "P\(f % 7)", institution: "inst-\(f % 9)", at: "2023-05-\(10 + f % 18)"))  // a duplicate of file 0
            }
            return lines
        }
    }

    static func generations(_ store: EventStore) throws -> IndexGenerations {
        try store.env.read { txn in try IndexGenerations.current(txn, store) }
    }

    @Test func manyImportsReadAsOne() throws {
        let dir = try TemporaryDirectory()
        let files = try Self.files(dir)
        let many = try EventStore(directory: dir.path + "/many", create: true)
        var merges = 0
        for (n, lines) in files.enumerated() {
            let report = try many.importFile(try dir.file("\(n).jsonl", lines))
            #expect(report.succeeded && report.indexMergeProblem == nil, "\(report.errors)")
            merges += report.indexMerges
            // Never four generations of one size class: they are merged.
            #expect(try Self.generations(many).list.count < IndexMerge.fanIn)
        }
        #expect(merges == 3)  // after the 4th, 7th and 10th import (a merged generation stays in the smallest class)
        // `info` tells the generations: together they cover the log.
        let info = try many.info()
        #expect(info.indexGenerations.count == (try Self.generations(many).list.count) && info.indexGenerations.reduce(0, +) == info.events)
        let one = try EventStore(directory: dir.path + "/one", create: true)
        #expect(try one.importFile(try dir.file("all.jsonl", files.flatMap { $0 })).succeeded)
        #expect(try one.head().seq == many.head().seq)

        #expect(withoutStoreTimes(try exported(many)) == withoutStoreTimes(try exported(one)))
        #expect(try many.read { try $0.participants() } == one.read { try $0.participants() })
        for p in 0..<7 {
            #expect(try many.read { try $0.seqs(ofParticipant: "P\(p)") } == one.read { try $0.seqs(ofParticipant: "P\(p)") })
            #expect(try many.read { try $0.seqs(ofParticipant: "P\(p)", upto: 300) } == one.read { try $0.seqs(ofParticipant: "P\(p)", upto: 300) })
            #expect(try withoutStoreTimes(exported(many, participant: "P\(p)")) == withoutStoreTimes(exported(one, participant: "P\(p)")))
        }
        for id in ["f0-0", "f5-17", "f11-59", "r3"] {
            #expect(try many.read { try $0.seq(ofId: id) } == one.read { try $0.seq(ofId: id) })
        }
        #expect(try many.read { try $0.seq(ofId: "nope") } == nil)
        #expect(try many.verify().isWhole)

        // Ids in every generation are found: a whole earlier file again is all duplicates, and a
        // changed event under an old id is a conflict.
        let again = try many.importFile(try dir.file("again.jsonl", files[2]))
        #expect(again.appended == 0 && again.duplicates == files[2].count)
        var changed = files[0][5]
        changed = changed.replacingOccurrences(of: "inst-5", with: "inst-x")
        let conflict = try many.importFile(try dir.file("conflict.jsonl", [changed]))
        #expect(!conflict.succeeded && conflict.errors.first?.message.contains("conflict") == true)
    }

    @Test func anImportFlushedInSeveralGenerationsListsThemWithTheHead() throws {
        let dir = try TemporaryDirectory()
        let store = try EventStore(directory: dir.path + "/s", create: true)
        var options = ImportOptions()
        options.batchSize = 50
        options.stagedIndexEvents = 100
        options.mergesIndexGenerations = false
        var lines = (0..<230).map { contact("e\($0)", "P\($0 % 5)") }
        lines.append(contact("e3", "P3"))  // a duplicate of the first flush, found in its generation before it is listed
        let report = try store.importFile(try dir.file("a.jsonl", lines), options: options)
        #expect(report.appended == 230 && report.duplicates == 1)
        #expect(try Self.generations(store).list.map(\.lastSeq) == [100, 200, 230])
        #expect(try store.verify().isWhole)
        // Merged by the next writer.
        #expect(try store.importFile(try dir.file("b.jsonl", [contact("x", "P9")])).indexMerges == 1)
        #expect(try Self.generations(store).list.count == 1)
        #expect(try store.verify().isWhole)
        #expect(try store.read { try $0.seqs(ofParticipant: "P3") }.count == 46)
    }

    @Test func generationsLeftUnlistedAreEmptiedByTheNextWriter() throws {
        let dir = try TemporaryDirectory()
        let store = try EventStore(directory: dir.path + "/s", create: true)
        #expect(try store.importFile(try dir.file("a.jsonl", (0..<20).map { contact("a\($0)") })).succeeded)
        let listed = try Self.generations(store)
        let free = try listed.freeNumber(store)
        // What a merge or an import killed before listing its generation leaves.
        let (ids, participants) = (try store.idIndex(generation: free), try store.participantIndex(generation: free))
        try store.env.write { txn in
            try txn.put(ids, key: Array("ghost".utf8), value: StorageLayout.seqKey(999))
            try txn.put(participants, key: StorageLayout.namedSeqKey("P1", 999), value: [])
            try txn.put(store.meta, key: StorageLayout.filterKey(free), value: GenerationFilter(capacity: 1).encoded)
        }
        // Not listed: not read.
        #expect(try store.verify().isWhole)
        #expect(try store.read { try $0.seq(ofId: "ghost") } == nil)
        #expect(try store.read { try $0.seqs(ofParticipant: "P1") }.count == 20)
        let report = try store.importFile(try dir.file("b.jsonl", [contact("ghost")]))
        #expect(report.appended == 1)
        #expect(try store.read { try $0.seq(ofId: "ghost") } == 21)
        #expect(try store.env.read { txn in try txn.value(store.meta, key: StorageLayout.filterKey(free)) } != nil)  // used again, for b.jsonl
        #expect(try store.verify().isWhole)
    }

    @Test func aJourneystore1StoreIsReadAsItIsAndUpgradedWhenWritten() throws {
        let dir = try TemporaryDirectory()
        let files = try Self.files(dir)
        let path = dir.path + "/old"
        let reference = try EventStore(directory: dir.path + "/ref", create: true)
        do {
            let store = try EventStore(directory: path, create: true)
            for (n, lines) in files.prefix(2).enumerated() {
                #expect(try store.importFile(try dir.file("\(n).jsonl", lines)).succeeded)
                #expect(try reference.importFile(try dir.file("\(n).jsonl", lines)).succeeded)
            }
            // Rewritten as a journeystore/1 store: every index entry in `ids` and `participants`,
            // no generations record, no filters.
            let listed = try Self.generations(store)
            try store.env.write { txn in
                for g in listed.list {
                    for (from, to) in [(try store.idIndex(generation: g.number), store.ids),
                                       (try store.participantIndex(generation: g.number), store.participants)] {
                        var entries: [([UInt8], [UInt8])] = []
                        try txn.withCursor(from) { cursor in
                            var entry = try cursor.get(.first)
                            while let (k, v) = entry {
                                entries.append((Array(k), Array(v)))
                                entry = try cursor.get(.next)
                            }
                        }
                        for (k, v) in entries { try txn.put(to, key: k, value: v) }
                        try txn.clear(from)
                    }
                    _ = try txn.delete(store.meta, key: StorageLayout.filterKey(g.number))
                }
                _ = try txn.delete(store.meta, key: StorageLayout.generationsKey)
                try txn.put(store.meta, key: StorageLayout.formatKey, value: Array("journeystore/1".utf8))
            }
        }
        do {
            let old = try EventStore(directory: path)
            #expect(old.format == "journeystore/1")
            #expect(try old.verify().isWhole)
            #expect(withoutStoreTimes(try exported(old, participant: "P3")) == withoutStoreTimes(try exported(reference, participant: "P3")))
        }
        let store = try EventStore(directory: path, create: true)
        #expect(store.format == "journeystore/2")
        for (n, lines) in files.enumerated().dropFirst(2) {
            #expect(try store.importFile(try dir.file("\(n).jsonl", lines)).succeeded)
            #expect(try reference.importFile(try dir.file("\(n).jsonl", lines)).succeeded)
            #expect(try store.verify().isWhole)
        }
        // Generation 0 was merged away and emptied.
        #expect(try !Self.generations(store).list.contains { $0.number == 0 })
        #expect(try store.env.read { txn in try txn.withCursor(store.ids) { try $0.get(.first) == nil } })
        #expect(withoutStoreTimes(try exported(store)) == withoutStoreTimes(try exported(reference)))
        #expect(try store.read { try $0.participants() } == reference.read { try $0.participants() })
    }

    /// A merge stopped after any of its transactions - while copying ids, while copying
    /// participant entries, after listing the merged generation, after emptying the sources -
    /// loses nothing and leaks nothing: the import it follows stands, the store reads exactly as
    /// before, and the next writer finishes the work.
    @Test(arguments: [1, 3, 5, 6, 8, 10, 11, 12, 13])
    func aMergeStoppedAfterAnyTransactionLosesNothing(stop: Int) throws {
        let dir = try TemporaryDirectory()
        let files = try Self.files(dir).prefix(5).enumerated().map { try dir.file("\($0).jsonl", $1) }
        let store = try EventStore(directory: dir.path + "/s", create: true)
        let reference = try EventStore(directory: dir.path + "/ref", create: true)
        for file in files.prefix(3) {
            #expect(try store.importFile(file).succeeded)
            #expect(try reference.importFile(file).succeeded)
        }
        // The fourth import merges four generations of 243 entries, 50 entries a transaction: 5 + 5
        // copying, one listing, one emptying the sources (13: not stopped).
        var options = ImportOptions()
        options.mergeEntriesPerTransaction = 50
        options.failAfterMergeTransactions = stop
        let stopped = try store.importFile(files[3], options: options)
        #expect(stopped.succeeded && stopped.appended == 61)  // 60 contacts and a retraction; a duplicate of file 0
        #expect((stopped.indexMergeProblem != nil) == (stop <= 12), "\(String(describing: stopped.indexMergeProblem))")
        #expect(try reference.importFile(files[3]).succeeded)
        func same() throws {
            #expect(try store.verify().isWhole)
            #expect(withoutStoreTimes(try exported(store)) == withoutStoreTimes(try exported(reference)))
            #expect(try store.read { try $0.participants() } == reference.read { try $0.participants() })
            for p in 0..<7 { #expect(try store.read { try $0.seqs(ofParticipant: "P\(p)") } == reference.read { try $0.seqs(ofParticipant: "P\(p)") }) }
            for id in ["f0-1", "f1-30", "f2-59", "f3-7", "r3"] { #expect(try store.read { try $0.seq(ofId: id) } == reference.read { try $0.seq(ofId: id) }) }
        }
        try same()
        // The next writer empties what the stopped merge left and merges again.
        let next = try store.importFile(files[4])
        #expect(next.succeeded && next.indexMergeProblem == nil)
        #expect(try reference.importFile(files[4]).succeeded)
        try same()
        #expect(try Self.generations(store).list.count < IndexMerge.fanIn)
        // Nothing is left in a generation that is not listed.
        let listed = Set(try Self.generations(store).list.map(\.number))
        for n in (1...StorageLayout.generationSlots).filter({ !listed.contains($0) }) {
            let (ids, participants) = (try store.idIndex(generation: n), try store.participantIndex(generation: n))
            #expect(try store.env.read { txn in
                try txn.withCursor(ids) { try $0.get(.first) == nil } && txn.withCursor(participants) { try $0.get(.first) == nil }
            }, "generation \(n) is not listed but holds entries")
        }
    }

    /// `verify` checks the ids across generations: one event's id in a second generation (two
    /// events under one id) and a filter that lacks an id of its generation (an import would then
    /// take a repeated id for a new one) are both found.
    @Test func verifyFindsAnIdInTwoGenerationsAndAFilterThatLacksOne() throws {
        let dir = try TemporaryDirectory()
        let files = try Self.files(dir)
        let store = try EventStore(directory: dir.path + "/s", create: true)
        for (n, lines) in files.prefix(2).enumerated() { #expect(try store.importFile(try dir.file("\(n).jsonl", lines)).succeeded) }
        let list = try Self.generations(store).list
        #expect(list.count == 2)
        #expect(try store.verify().isWhole)
        let (first, second) = (list[0].number, list[1].number)
        // "f0-3" (the first file's) also in the second generation, under a seq of its range, and
        // in that generation's filter, as an import that took it for new would have written it.
        try store.env.write { txn in
            let ids = try store.idIndex(generation: second)
            _ = try txn.put(ids, key: Array("f0-3".utf8), value: StorageLayout.seqKey(list[1].lastSeq))
            var filter = GenerationFilter(capacity: 62)
            try txn.withCursor(ids) { cursor in
                var entry = try cursor.get(.first)
                while let (k, _) = entry {
                    filter.insert(hash: GenerationFilter.hash(k))
                    entry = try cursor.get(.next)
                }
            }
            _ = try txn.put(store.meta, key: StorageLayout.filterKey(second), value: filter.encoded)
        }
        let twice = try store.verify()
        #expect(twice.problem?.message.contains("indexed in two generations") == true, "\(twice)")
        try store.env.write { txn in _ = try txn.delete(try store.idIndex(generation: second), key: Array("f0-3".utf8)) }
        #expect(try store.verify().isWhole)
        // The first generation's filter emptied (the same size, no bit set).
        try store.env.write { txn in
            _ = try txn.put(store.meta, key: StorageLayout.filterKey(first), value: GenerationFilter(capacity: 60).encoded)
        }
        let lacking = try store.verify()
        #expect(lacking.problem?.seq == 1 && lacking.problem?.message.contains("id filter of index generation \(first) lacks") == true, "\(lacking)")
    }

    /// A damaged generations record is a clear error for readers, `verify` and imports - never
    /// a wrong answer - and an import writes nothing.
    @Test func aDamagedGenerationsRecordIsAClearError() throws {
        let dir = try TemporaryDirectory()
        let store = try EventStore(directory: dir.path + "/s", create: true)
        #expect(try store.importFile(try dir.file("a.jsonl", (0..<10).map { contact("a\($0)") })).succeeded)
        for damaged in [[UInt8](repeating: 1, count: 5), [0, 0, 0, 99] + [UInt8](repeating: 0, count: 7) + [10]] {
            try store.env.write { txn in _ = try txn.put(store.meta, key: StorageLayout.generationsKey, value: damaged) }
            func isDamaged(_ body: () throws -> Void) {
                do { try body(); Issue.record("no error") } catch { #expect("\(error)".contains("index generations record is damaged"), "\(error)") }
            }
            isDamaged { _ = try store.verify() }
            isDamaged { _ = try store.read { try $0.seqs(ofParticipant: "P1") } }
            isDamaged { _ = try store.importFile(try dir.file("b.jsonl", [contact("b1")])) }
            #expect(try store.head().seq == 10)
        }
    }

    @Test func theFilterHasNoFalseNegativesAndFewFalsePositives() {
        let inserted = (0..<50_000).map { Self.idHash("id-\($0)") }
        let others = (0..<50_000).map { Self.idHash("other-\($0)") }
        var filter = GenerationFilter(capacity: inserted.count)
        for h in inserted { filter.insert(hash: h) }
        var stored = filter.encoded
        var falseNegatives = 0, falsePositives = 0
        stored.withUnsafeBytes { bytes in
            for h in inserted where !GenerationFilter.mayContain(bytes, hash: h) { falseNegatives += 1 }
            for h in others where GenerationFilter.mayContain(bytes, hash: h) { falsePositives += 1 }
        }
        #expect(falseNegatives == 0)
        #expect(falsePositives < 1_500, "\(falsePositives) of 50,000")  // about 1% expected
        // A filter of another version is not trusted: every id may be in it.
        stored[0] = 2
        let trusted = stored.withUnsafeBytes { bytes in others.filter { GenerationFilter.mayContain(bytes, hash: $0) }.count }
        #expect(trusted == others.count)
    }

    /// Filters are stored: the hash their bits come from must not change (STORAGE.md names it).
    @Test func theIdHashIsPinned() {
        #expect(String(Self.idHash("esm:P100895:w22:0"), radix: 16) == "e7d78a2577a6a530")
        #expect(String(Self.idHash("c1"), radix: 16) == "c5600c7f6704d106")
    }

    static func idHash(_ id: String) -> UInt64 {
        var id = id
        return id.withUTF8 { GenerationFilter.hash(UnsafeRawBufferPointer($0)) }
    }
}
