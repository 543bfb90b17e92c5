import Foundation
import Testing
@testable import Dumps

/// CSV fields are quoted exactly when they hold a comma, a quote or a line end, wherever it is.
struct CSVFieldTests {
    @Test func quotesAFieldWithASpecialByteAtAnyPosition() {
        for length in 0...20 {
            let plain = String(repeating: "a", count: length)
            var out: [UInt8] = []
            out.csvField(plain, first: true)
            #expect(out == Array(plain.utf8))
            for position in 0..<length {
                for special in [",", "\"", "\n", "\r"] {
                    var chars = Array(plain)
                    chars[position] = Character(special)
                    let value = String(chars)
                    var quoted: [UInt8] = []
                    quoted.csvField(value, first: true)
                    let expected = "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                    #expect(quoted == Array(expected.utf8), "\(length) \(position) \(special.debugDescription)")
                }
            }
        }
        // Bytes that resemble the special ones are not special.
        for near in ["+", "-", "!", "#", "\t", "\u{0B}", "\u{0C}", "é", "\u{2C2C}"] {
            var out: [UInt8] = []
            out.csvField("abcdefgh" + near + "ijklmnop", first: true)
            #expect(out == Array(("abcdefgh" + near + "ijklmnop").utf8))
        }
    }
}
