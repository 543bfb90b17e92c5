@testable import JourneyModel

extension SeededRandom {
    /// `bytes` after `edits` random edits, each a byte replaced by JSON punctuation, a digit or a
    /// letter, a byte dropped, one inserted, or the rest cut off (never empty): the damaged lines
    /// and records the parser and decoder tests read.
    mutating func damaged(_ bytes: [UInt8], edits: ClosedRange<Int>) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<int(edits) {
            switch below(4) {
            case 0: bytes[below(bytes.count)] = pick(Array(#"{}[]":,\0123456789aetnu -"#.utf8))
            case 1: bytes.remove(at: below(bytes.count))
            case 2: bytes.insert(pick(Array(#"{}":,\5x"#.utf8)), at: below(bytes.count + 1))
            default: bytes = Array(bytes[0..<below(bytes.count)])
            }
            if bytes.isEmpty { bytes = [0x7B] }
        }
        return bytes
    }
}
