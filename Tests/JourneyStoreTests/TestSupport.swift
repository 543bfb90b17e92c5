import Foundation
import Testing
@testable import JourneyStore

/// A fresh store directory under the system temp dir, removed when the value is dropped.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "journey-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `lines` as a JSON Lines file and returns its path.
    func file(_ name: String, _ lines: [String]) throws -> String {
        let p = path + "/" + name
        try (lines.joined(separator: "\n") + "\n").write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }
}

/// Captures `export` output as a string.
func exported(_ store: EventStore, participant: String? = nil, upto: UInt64? = nil) throws -> String {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { throw StoreError("pipe failed") }
    let reader = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
    var collected = Data()
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var sink = collected
    DispatchQueue.global().async {
        sink = reader.readDataToEndOfFile()
        done.signal()
    }
    try store.export(participant: participant, upto: upto, to: fds[1])
    close(fds[1])
    done.wait()
    collected = sink
    return String(decoding: collected, as: UTF8.self)
}

/// Export lines without the store fields that depend on the time of import.
func withoutStoreTimes(_ export: String) -> [String] {
    export.split(separator: "\n").map { line in
        var s = String(line)
        if let r = s.range(of: #","appended":""#) { s = String(s[..<r.lowerBound]) + "}" }
        return s
    }
}

let coded = #"{"id":"code-a","type":"institution.coded","at":"2023-03-01","source":"manual","data":{"institution":"inst-a","name":"A","categories":["help.formal.advice"],"levels":["regional"]}}"#
func contact(_ id: String, _ participant: String = "P1", institution: String = "inst-a", at: String = "2023-05-01") -> String {
    #"{"id":"\#(id)","type":"contact","participant":"\#(participant)","at":"\#(at)","source":"esm","data":{"institution":"\#(institution)"}}"#
}
func retraction(_ id: String, of target: String, participant: String? = "P1") -> String {
    let p = participant.map { #""participant":"\#($0)","# } ?? ""
    return #"{"id":"\#(id)","type":"event.retracted",\#(p)"at":"2023-05-02","source":"manual","data":{"event":"\#(target)","reason":"wrong"}}"#
}
