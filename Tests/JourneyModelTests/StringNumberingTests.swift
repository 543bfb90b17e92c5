import Foundation
import Testing
@testable import JourneyModel

struct StringNumberingTests {
    /// Strings of the shapes the numbering sees (ids differing in one byte, sharing their first
    /// and last eight bytes, of every length, non-ASCII, empty), numbered through many growths:
    /// the numbers agree with a dictionary built alongside, in order of first appearance, whether
    /// a string comes as a String or as bytes.
    @Test func numbersAgreeWithADictionaryThroughGrowth() {
        var strings: [String] = [""]
        for i in 0..<3_000 { strings.append("P\(String(format: "%06d", i))") }
        for i in 0..<300 { strings.append("police-\(i)") }
        // Same length, same first and last eight bytes: only the middle tells them apart.
        for c in "abcdefghij" { strings.append("institution-\(c)-of-the-region") }
        for length in 1...40 { strings.append(String(repeating: "x", count: length)) }
        strings += ["zorg-één", "zorg-eén", "\u{1F600}"]
        var numbering = StringNumbering()
        var reference: [String: Int] = [:]
        var random = SeededRandom(seed: 7)
        for _ in 0..<20_000 {
            let s = random.pick(strings)
            let expected = reference[s] ?? reference.count
            reference[s] = expected
            // Numbered as a String or by its bytes (as the compact decoder does), at random.
            let n = random.chance(0.5) ? numbering.number(s) : Array(s.utf8).withUnsafeBytes { numbering.number(bytes: $0) }
            #expect(n == expected)
        }
        #expect(numbering.count == reference.count)
        for (s, n) in reference {
            #expect(numbering.existingNumber(s) == n)
            #expect(numbering.name(n) == s)
        }
        #expect(numbering.existingNumber("not-numbered") == nil)
        #expect(!numbering.contains("P9999999"))
    }

    @Test func ranksFollowByteOrder() {
        var numbering = StringNumbering()
        for s in ["gp-2", "ggz-1", "gp-10", "advocaat", "gp-1"] { numbering.number(s) }
        #expect(numbering.ranks() == [4, 1, 3, 0, 2])
    }

    @Test func equalStringsHaveEqualFingerprints() {
        let built = String(["zorg", "-", "instelling", "-", "1"].joined())
        #expect(StringNumbering.fingerprint(built) == StringNumbering.fingerprint("zorg-instelling-1"))
        #expect(StringNumbering.fingerprint("abc") != StringNumbering.fingerprint("abd"))
    }

    @Test func removeAllStartsTheNumberingAfreshAtTheSameSize() {
        var numbering = StringNumbering()
        for i in 0..<5_000 { numbering.number("P\(i)") }
        numbering.removeAll()
        #expect(numbering.count == 0 && !numbering.contains("P1") && numbering.existingNumber("P4999") == nil)
        for i in stride(from: 4_999, through: 0, by: -1) { #expect(numbering.number("P\(i)") == 4_999 - i) }
        #expect(numbering.count == 5_000 && numbering.existingNumber("P0") == 4_999 && numbering.name(0) == "P4999")
    }
}
