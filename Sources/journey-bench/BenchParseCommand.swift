import ArgumentParser
import Foundation
import GRDB
import JourneyBench
import JourneyModel
import JourneyStore

/// `journey-bench parse FILE` (hidden): times the line pipeline alone, without storage.
struct BenchParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse", abstract: "Time parsing and validating a workload, without storing it.", shouldDisplay: false)

    @Argument(help: "JSON Lines file.") var file: String
    @Flag(help: "Also compact and build hash-chained records.") var records = false

    func run() throws {
        var pipeline = EventPipeline()
        var n = 0
        let t0 = DispatchTime.now().uptimeNanoseconds
        try EventPipeline.forEachLine(of: file) { line, number in
            if records {
                if try pipeline.process(line, seq: UInt64(n + 1), number: number) != nil { n += 1 }
            } else {
                do { _ = try EventParser.parse(line) } catch { throw StoreError("line \(number): \(error)") }
                n += 1
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        print(String(format: "%d events in %.3f s: %.0f events/s, %.2f us/event", n, seconds, Double(n) / seconds, seconds * 1e6 / Double(n)))
    }
}
