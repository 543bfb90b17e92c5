import Foundation
import JourneyModel
import JourneyStore
@testable import Projections

/// A store in a temporary directory, with helpers to import lines and read projections.
final class Fixture {
    let path: String
    let store: EventStore
    let state: ProjectionState
    private var fileCount = 0

    /// A plain store, or with `key` an encrypted one.
    init(encryptedWith key: MasterKey? = nil) throws {
        path = NSTemporaryDirectory() + "journey-proj-" + UUID().uuidString
        store = try EventStore(directory: path + "/store", create: true, key: key, encrypt: key != nil)
        state = try ProjectionState(store: store)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Imports `lines` as one file; fails the test run if the file is rejected.
    @discardableResult
    func importLines(_ lines: [String]) throws -> ImportReport {
        fileCount += 1
        let file = path + "/f\(fileCount).jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let report = try store.importFile(file)
        if !report.succeeded { throw StoreError("import failed: \(report.errors)") }
        return report
    }

    func journey(_ p: String, upto: UInt64? = nil) throws -> [LoggedEvent] {
        try state.catchUp()
        return try state.view(upto: upto) { try $0.journey(of: p) }
    }
}

/// Event lines for tests (participant P unless given).
enum E {
    static func contact(_ id: String, _ inst: String, _ at: String, p: String = "P") -> String {
        #"{"id":"\#(id)","type":"contact","participant":"\#(p)","at":"\#(at)","source":"esm","data":{"institution":"\#(inst)"}}"#
    }
    static func referral(_ id: String, _ from: String, _ to: String, _ at: String, outcome: String = "accepted", p: String = "P") -> String {
        #"{"id":"\#(id)","type":"referral","participant":"\#(p)","at":"\#(at)","source":"esm","data":{"from":"\#(from)","to":"\#(to)","outcome":"\#(outcome)"}}"#
    }
    static func expectation(_ id: String, _ inst: String, planned: String, at: String = "2023-01-01", statements: String = "{}", p: String = "P") -> String {
        #"{"id":"\#(id)","type":"expectation","participant":"\#(p)","at":"\#(at)","source":"esm","data":{"institution":"\#(inst)","plannedFor":"\#(planned)","statements":\#(statements)}}"#
    }
    static func experience(_ id: String, _ inst: String, on: String, at: String = "2023-03-01", statements: String = "{}", p: String = "P") -> String {
        #"{"id":"\#(id)","type":"experience","participant":"\#(p)","at":"\#(at)","source":"esm","data":{"institution":"\#(inst)","contactOn":"\#(on)","statements":\#(statements)}}"#
    }
    static func coded(_ id: String, _ inst: String, _ categories: [String], levels: [String] = ["regional"], at: String = "2023-01-01") -> String {
        let cats = categories.map { "\"\($0)\"" }.joined(separator: ",")
        let lv = levels.map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"id":"\#(id)","type":"institution.coded","at":"\#(at)","source":"manual","data":{"institution":"\#(inst)","name":"Name \#(inst)","categories":[\#(cats)],"levels":[\#(lv)]}}"#
    }
    static func retract(_ id: String, _ target: String, p: String? = "P") -> String {
        let part = p.map { #""participant":"\#($0)","# } ?? ""
        return #"{"id":"\#(id)","type":"event.retracted",\#(part)"at":"2023-06-01","source":"manual","data":{"event":"\#(target)","reason":"r"}}"#
    }
    static func enrolled(_ id: String, at: String, p: String = "P") -> String {
        #"{"id":"\#(id)","type":"participant.enrolled","participant":"\#(p)","at":"\#(at)","source":"intake-interview","data":{}}"#
    }
}
