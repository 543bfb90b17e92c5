import Foundation
import Testing
@testable import JourneyStore

/// Several threads parse runs of lines, yet the chunks come out in line order: every non-blank
/// line exactly once, numbers increasing, each bad line with its error, whatever the run size
/// and number of threads.
struct ParsedLineStreamTests {
    @Test(arguments: [(1, 1), (7, 2), (64, 3), (2048, 2)] as [(Int, Int)])
    func chunksComeInLineOrder(linesPerChunk: Int, parsers: Int) throws {
        let dir = try TemporaryDirectory()
        var lines: [String] = []
        var expected: [(number: Int, valid: Bool)] = []
        for i in 1...3_000 {
            switch i % 97 {
            case 0: lines.append("")  // blank: no line comes out
            case 13: lines.append("{not json"); expected.append((i, false))
            default: lines.append(contact("c\(i)", "P\(i % 11)")); expected.append((i, true))
            }
        }
        let stream = ParsedLineStream(reader: try LineReader(path: try dir.file("a.jsonl", lines)),
                                      linesPerChunk: linesPerChunk, parsers: parsers)
        var seen: [(number: Int, valid: Bool)] = []
        var ids: [String] = []
        while let chunk = try stream.next() {
            for line in chunk.lines {
                seen.append((line.number, line.event != nil))
                if let event = line.event { ids.append(String(decoding: chunk.id(event), as: UTF8.self)) }
                #expect((line.event == nil) == (line.error != nil))
            }
        }
        #expect(seen.map(\.number) == expected.map(\.number))
        #expect(seen.map(\.valid) == expected.map(\.valid))
        #expect(ids == expected.filter(\.valid).map { "c\($0.number)" })
    }
}
