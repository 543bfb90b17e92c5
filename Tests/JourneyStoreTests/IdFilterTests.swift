import Foundation
import Testing
@testable import JourneyStore

struct IdFilterTests {
    /// Every repeat is caught, and distinct ids of the shapes imports see (sharing long prefixes,
    /// differing in one byte, of every length up to 40) are not mistaken for repeats.
    @Test func repeatsAreCaughtAndDistinctIdsPass() {
        var filter = IdFilter()
        var ids: [[UInt8]] = []
        for p in 0..<2_000 {
            for w in 0..<10 { ids.append(Array("esm:P\(String(format: "%06d", p)):w\(w):\(p % 3)".utf8)) }
        }
        for length in 1...40 {
            for b in UInt8(ascii: "a")...UInt8(ascii: "z") { ids.append([UInt8](repeating: UInt8(ascii: "x"), count: length - 1) + [b]) }
        }
        var falseRepeats = 0
        for id in ids where filter.insert(id[...]) { falseRepeats += 1 }
        #expect(falseRepeats == 0)
        #expect(ids.allSatisfy { filter.insert($0[...]) })
        #expect(IdFilter.hash(Array("abc".utf8)[...]) == IdFilter.hash(Array("xabc".utf8)[1...]))
    }
}
