import Foundation
import Testing

/// Contract 4.1: ties in "by time" break by event id, not by log position, so the same events
/// give the same projections whatever order they were imported in.
@Suite(.serialized)
struct OrderIndependenceTests {
    /// Ties everywhere: contacts, codings and exits on one date; two expectations as near to one
    /// experience; retractions.
    static let lines = [
        #"{"id":"k-b","type":"institution.coded","at":"2023-01-01","source":"manual","data":{"institution":"pol","name":"Police B","categories":["legal.criminal.enforcement"],"levels":["regional"]}}"#,
        #"{"id":"k-a","type":"institution.coded","at":"2023-01-01","source":"manual","data":{"institution":"pol","name":"Police A","categories":["help.formal.health"],"levels":["local"]}}"#,
        #"{"id":"P-c2","type":"contact","participant":"P","at":"2023-02-01","source":"esm","data":{"institution":"pol","role":"second"}}"#,
        #"{"id":"P-c1","type":"contact","participant":"P","at":"2023-02-01","source":"esm","data":{"institution":"ggz","role":"first"}}"#,
        #"{"id":"P-r2","type":"referral","participant":"P","at":"2023-02-01","source":"esm","data":{"from":"pol","to":"ggz","outcome":"refused"}}"#,
        #"{"id":"P-r1","type":"referral","participant":"P","at":"2023-02-01","source":"esm","data":{"from":"ggz","to":"pol","outcome":"accepted"}}"#,
        #"{"id":"P-e2","type":"expectation","participant":"P","at":"2023-02-01","source":"esm","data":{"institution":"pol","plannedFor":"2023-02-10","statements":{"listened":2}}}"#,
        #"{"id":"P-e1","type":"expectation","participant":"P","at":"2023-02-01","source":"esm","data":{"institution":"pol","plannedFor":"2023-02-10","statements":{"listened":4}}}"#,
        #"{"id":"P-x1","type":"experience","participant":"P","at":"2023-02-12","source":"esm","data":{"institution":"pol","contactOn":"2023-02-10","statements":{"listened":3}}}"#,
        #"{"id":"P-q2","type":"participant.exited","participant":"P","at":"2023-05-01","source":"manual","data":{"reason":"withdrew"}}"#,
        #"{"id":"P-q1","type":"participant.exited","participant":"P","at":"2023-05-01","source":"manual","data":{"reason":"study-ended"}}"#,
        #"{"id":"Q-c1","type":"contact","participant":"Q","at":"2023-03-01T10:00:00+01:00","source":"esm","data":{"institution":"pol"}}"#,
        #"{"id":"Q-c0","type":"contact","participant":"Q","at":"2023-03-01T10:00:00+01:00","source":"esm","data":{"institution":"ggz"}}"#,
    ]

    /// Every CSV of a dump, without the columns that name log positions (`seq`, `appended`).
    private func tables(_ dir: String) throws -> [String: [[String]]] {
        var out: [String: [[String]]] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: dir) where file.hasSuffix(".csv") {
            let rows = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
                .components(separatedBy: "\r\n").filter { !$0.isEmpty }.map { $0.components(separatedBy: ",") }
            let drop = Set(rows[0].indices.filter { ["seq", "appended"].contains(rows[0][$0]) })
            out[file] = rows.map { row in row.indices.filter { !drop.contains($0) }.map { row[$0] } }
        }
        return out
    }

    @Test func theSameEventsInAnyOrderGiveTheSameDump() throws {
        let dir = try Scratch()
        var orders = [Self.lines, Self.lines.reversed()]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<3 { orders.append(Self.lines.shuffled(using: &random)) }
        var first: [String: [[String]]]?
        for (n, order) in orders.enumerated() {
            let store = dir.path + "/store\(n)"
            // Two files, the second half first into the store: positions differ from the lines'.
            let half = order.count / 2
            for (i, part) in [Array(order[half...]), Array(order[..<half])].enumerated() {
                let file = try dir.write("part\(n)-\(i).jsonl", part)
                let r = try CommandRunner.journey(["import", file, "--store", store])
                #expect(r.status == 0, "\(r.stderr)")
            }
            let out = dir.path + "/dump\(n)"
            let r = try CommandRunner.journey(["dump", "--out", out, "--store", store])
            #expect(r.status == 0, "\(r.stderr)")
            let tables = try tables(out)
            if let first {
                #expect(tables == first, "import order \(n) changed the dump")
            } else {
                first = tables
                // The tie-breaks themselves: k-b is the coding (ids as bytes), P-c1 comes before
                // P-c2, P-e1 pairs with P-x1, and P's latest exit is P-q2 (withdrew).
                #expect(tables["institutions.csv"]?.contains { $0.starts(with: ["pol", "Police B"]) } == true)
                let timeline = try #require(tables["timeline.csv"])
                let ids = timeline.map { $0[2] }
                #expect(ids.firstIndex(of: "P-c1")! < ids.firstIndex(of: "P-c2")!)
                #expect(ids.firstIndex(of: "Q-c0")! < ids.firstIndex(of: "Q-c1")!)
                #expect(tables["pairs.csv"]?.contains { $0.contains("P-e1") && $0.contains("P-x1") } == true)
                #expect(tables["participants.csv"]?.contains { $0[0] == "P" && $0.contains("withdrew") } == true)
            }
        }
    }
}
