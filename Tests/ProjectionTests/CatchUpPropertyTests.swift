import Foundation
import JourneyModel
import JourneyStore
import PropertyBased
import Testing
@testable import Dumps
@testable import Projections

/// A full rebuild and any sequence of catch-ups give identical state and identical dumps.
struct CatchUpPropertyTests {
    /// A random but valid stream: contacts, referrals, expectations, experiences, codings and
    /// recodings, and retractions of earlier events (including codings and repeated retractions).
    static func randomStream(seed: UInt64, count: Int) -> [String] {
        var rng = SplitMix(seed)
        let institutions = ["a", "b", "c", "d", "e"]
        let participants = ["P1", "P2", "P3"]
        var lines: [String] = []
        var retractable: [(id: String, participant: String?)] = []
        for i in 0..<count {
            let p = participants[rng.next(participants.count)]
            let inst = institutions[rng.next(institutions.count)]
            let day = String(format: "2023-05-%02d", 1 + rng.next(28))
            let id = "e\(i)"
            switch rng.next(10) {
            case 0:
                let cats = ["help.formal.health", "legal.civil.assistance", "help.informal", "legal.criminal.enforcement"]
                lines.append(E.coded(id, inst, [cats[rng.next(cats.count)]], levels: [["national"], ["regional"], ["local", "national"]][rng.next(3)], at: day))
                retractable.append((id, nil))
            case 1, 2:
                lines.append(E.referral(id, ["self", "network", inst, institutions[rng.next(5)]][rng.next(4)], institutions[rng.next(5)], day,
                                        outcome: ["accepted", "refused", "pending", "no-capacity"][rng.next(4)], p: p))
                retractable.append((id, p))
            case 3:
                lines.append(E.expectation(id, inst, planned: day, statements: #"{"t":\#(rng.next(6)),"u":\#(rng.next(6))}"#, p: p))
                retractable.append((id, p))
            case 4:
                lines.append(E.experience(id, inst, on: day, statements: #"{"t":\#(rng.next(6))}"#, p: p))
                retractable.append((id, p))
            case 5 where !retractable.isEmpty:
                let target = retractable[rng.next(retractable.count)]
                lines.append(E.retract(id, target.id, p: target.participant))
            default:
                lines.append(E.contact(id, inst, day + (rng.next(2) == 0 ? "" : "T10:00:00+02:00"), p: p))
                retractable.append((id, p))
            }
        }
        return lines
    }

    private func dumpFiles(_ state: ProjectionState, upto: UInt64? = nil, _ dir: String) throws -> [String: Data] {
        var options = DumpOptions()
        options.upto = upto
        _ = try Dump.write(state: state, options: options, to: dir)
        var out: [String: Data] = [:]
        // The manifest records when the dump was made, and the data package when the log position
        // was appended (two stores of the same events differ there); everything else is compared
        // byte for byte.
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) where name != "manifest.json" {
            var data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
            if name == "datapackage.json" {
                let text = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                data = Data(text.filter { !$0.contains("\"created\" :") }.joined(separator: "\n").utf8)
            }
            out[name] = data
        }
        return out
    }

    /// Random streams (seed and length generated, shrunk on failure) imported in random pieces
    /// (the split sizes generated too), with a catch-up after some of the pieces.
    @Test func rebuildEqualsAnySequenceOfCatchUps() async {
        await propertyCheck(count: 25, input: Gen.uint64(in: 1...1_000_000), Gen.int(in: 1...150), Gen.int(in: 1...40).array(of: 1...8)) { seed, length, splits in
            try checkCatchUpsAgainstRebuild(seed: seed, length: length, splits: splits)
        }
    }

    /// The same for a few fixed seeds with longer streams (and a replay of a prefix).
    @Test(arguments: [1, 2, 3] as [UInt64])
    func rebuildEqualsCatchUpsForFixedSeeds(seed: UInt64) throws {
        try checkCatchUpsAgainstRebuild(seed: seed, length: 120, splits: [7, 1, 29, 13])
    }

    /// Encryption changes nothing a projection shows: an encrypted store, imported in pieces with
    /// catch-ups, has the state a rebuild gives it (institution ids blinded alike) and dumps the
    /// same bytes as a plain store with the same events.
    @Test(arguments: [4, 5] as [UInt64])
    func anEncryptedStoreProjectsExactlyAsAPlainOne(seed: UInt64) throws {
        let keyDirectory = NSTemporaryDirectory() + "journey-key-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: keyDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: keyDirectory) }
        let key = try MasterKey.create(path: keyDirectory + "/master.key")
        let lines = Self.randomStream(seed: seed, count: 120)

        let sealed = try Fixture(encryptedWith: key)
        var start = 0
        for size in [9, 31, 2, 40, 17, 21] where start < lines.count {
            try sealed.importLines(Array(lines[start..<min(lines.count, start + size)]))
            try sealed.state.catchUp()
            start += size
        }
        // (Each store blinds with its own salt, so the state is compared within the store.)
        let caughtUp = try sealed.state.contents()
        try sealed.state.rebuild()
        #expect(try sealed.state.contents() == caughtUp)

        let plain = try Fixture()
        try plain.importLines(lines)
        try plain.state.rebuild()
        let a = try dumpFiles(sealed.state, sealed.path + "/dump")
        #expect(a == (try dumpFiles(plain.state, plain.path + "/dump")))
        #expect(a.count == 20)
    }

    private func checkCatchUpsAgainstRebuild(seed: UInt64, length: Int, splits: [Int]) throws {
        let lines = Self.randomStream(seed: seed, count: length)
        let incremental = try Fixture()
        var start = 0, piece = 0
        while start < lines.count {
            let end = min(lines.count, start + splits[piece % splits.count])
            try incremental.importLines(Array(lines[start..<end]))
            if piece % 3 != 1 { try incremental.state.catchUp() }  // sometimes two imports per catch-up
            start = end
            piece += 1
        }
        try incremental.state.catchUp()

        let rebuilt = try Fixture()
        try rebuilt.importLines(lines)
        try rebuilt.state.rebuild()

        #expect(try incremental.state.contents() == rebuilt.state.contents())
        #expect(try incremental.state.checkpoint() == UInt64(lines.count))
        let a = try dumpFiles(incremental.state, incremental.path + "/dump")
        let b = try dumpFiles(rebuilt.state, rebuilt.path + "/dump")
        #expect(a == b)
        #expect(a.count == 20)

        // Replaying an earlier position equals importing only that prefix.
        let cut = 1 + Int(seed % UInt64(lines.count))
        let prefix = try Fixture()
        try prefix.importLines(Array(lines[0..<cut]))
        try prefix.state.catchUp()
        #expect(try dumpFiles(rebuilt.state, upto: UInt64(cut), rebuilt.path + "/dump-upto") == dumpFiles(prefix.state, prefix.path + "/dump"))
    }
}

/// SplitMix64, for reproducible random streams.
struct SplitMix {
    private var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
