import Foundation
import JourneyModel

/// Writes the benchmark workload: weekly questionnaire exports, interleaved across participants
/// in time order, about 250 bytes an event. Streamed to disk; nothing is held in memory.
public struct BenchWorkload: Sendable {
    public var events: Int
    public var participants: Int
    public var seed: UInt64

    public init(events: Int, participants: Int, seed: UInt64 = 42) {
        self.events = events
        self.participants = participants
        self.seed = seed
    }

    /// The workload's file in `directory` (`workload-EVENTS-PARTICIPANTS.jsonl`), generated there
    /// first if it is not there yet.
    public func file(in directory: String) throws -> String {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let file = "\(directory)/workload-\(events)-\(participants).jsonl"
        if !fm.fileExists(atPath: file) {
            print("generating \(events) events over \(participants) participants -> \(file)")
            try write(to: file)
        }
        return file
    }

    private static let institutionPool: [(id: String, category: String, level: String)] = {
        let kinds: [(String, String, String)] = [
            ("police", "legal.criminal.enforcement", "regional"), ("veilig-thuis", "help.formal.advice", "regional"),
            ("shn", "legal.criminal.assistance", "national"), ("gp", "help.formal.health", "local"),
            ("ggz", "help.formal.health", "regional"), ("lawyer", "legal.civil.assistance", "local"),
            ("family-court", "legal.civil.adjudication", "regional"), ("rvdk", "legal.civil.court-advice", "national"),
            ("youth-care", "help.formal.family", "regional"), ("school", "help.formal.family", "local"),
            ("shelter", "help.formal.victim", "regional"), ("coach", "help.alternative", "local"),
            ("peer-group", "help.informal", "local"), ("wijkteam", "help.formal.advice", "local"),
            ("perpetrator-help", "help.formal.partner", "regional"), ("prosecutor", "legal.criminal.enforcement", "national"),
        ]
        return (0..<128).map { i in
            let k = kinds[i % kinds.count]
            return ("\(k.0)-\(i / kinds.count + 1)", k.1, k.2)
        }
    }()

    private static let items = ["listens", "takes-seriously", "clear-next-steps", "respectful", "helpful"]

    /// Writes the workload to `path`, replacing it.
    public func write(to path: String) throws {
        guard let file = fopen(path, "w") else { throw BenchError("cannot write \(path)") }
        defer { fclose(file) }
        var rng = SeededRandom(seed: seed)
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20)
        func emit(_ line: String) {
            out.append(contentsOf: line.utf8)
            out.append(0x0A)
            if out.count >= 1 << 20 {
                out.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, file) }
                out.removeAll(keepingCapacity: true)
            }
        }
        let pool = Self.institutionPool
        var written = 0
        for inst in pool where written < events {
            emit(#"{"id":"code-\#(inst.id)","type":"institution.coded","at":"2023-03-01","source":"manual","by":"coder-1","data":{"institution":"\#(inst.id)","name":"Organisation \#(inst.id)","categories":["\#(inst.category)"],"levels":["\#(inst.level)"]}}"#)
            written += 1
        }
        let start = CalendarDate(year: 2023, month: 3, day: 5)!.daysSinceEpoch  // a Sunday
        var week = 0
        var counter = 0
        while written < events {
            let sunday = CalendarDate(daysSinceEpoch: start + Int32(week * 7))
            for p in 0..<participants where written < events {
                let pid = "P" + pad6(p)
                let minute = 8 * 60 + (p * 7) % 240
                let at = "\(sunday)T\(pad2(minute / 60)):\(pad2(minute % 60)):\(pad2(p % 60))+02:00"
                let perWeek = 1 + Int(rng.next() % 3)
                for k in 0..<perWeek where written < events {
                    counter += 1
                    let id = "esm:\(pid):w\(week):\(k)"
                    let inst = pool[Int((UInt64(p) &* 2654435761 &+ rng.next() % 11) % UInt64(pool.count))].id
                    let day = CalendarDate(daysSinceEpoch: sunday.daysSinceEpoch - Int32(1 + rng.next() % 6))
                    let line: String
                    if week == 0 && k == 0 {
                        line = #"{"id":"\#(id)","type":"participant.enrolled","participant":"\#(pid)","at":"\#(at)","source":"intake-interview","data":{"ageBand":"35-44","childrenWithExPartner":true,"abuse":["psychological","physical"]}}"#
                    } else {
                        switch rng.next() % 10 {
                        case 0, 1, 2:
                            line = #"{"id":"\#(id)","type":"contact","participant":"\#(pid)","at":"\#(day)","recorded":"\#(at)","source":"esm","data":{"institution":"\#(inst)","role":"case worker","reason":"weekly contact","mode":"in-person"}}"#
                        case 3, 4:
                            line = #"{"id":"\#(id)","type":"expectation","participant":"\#(pid)","at":"\#(at)","source":"esm","data":{"institution":"\#(inst)","plannedFor":"\#(day)","cameVia":"self","expectedFulfilment":\#(rng.next() % 6),"statements":{"\#(Self.items[0])":\#(rng.next() % 6),"\#(Self.items[1])":\#(rng.next() % 6)}}}"#
                        case 5, 6, 7:
                            line = #"{"id":"\#(id)","type":"experience","participant":"\#(pid)","at":"\#(at)","source":"esm","data":{"institution":"\#(inst)","contactOn":"\#(day)","statements":{"\#(Self.items[0])":\#(rng.next() % 6),"\#(Self.items[1])":\#(rng.next() % 6),"\#(Self.items[2])":\#(rng.next() % 6)}}}"#
                        default:
                            let to = pool[Int(rng.next() % UInt64(pool.count))].id
                            line = #"{"id":"\#(id)","type":"referral","participant":"\#(pid)","at":"\#(day)","recorded":"\#(at)","source":"esm","data":{"from":"\#(inst)","to":"\#(to)","outcome":"\#(rng.next() % 4 == 0 ? "refused" : "accepted")","reason":"not our task"}}"#
                        }
                    }
                    emit(line)
                    written += 1
                }
            }
            week += 1
        }
        out.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, file) }
        _ = counter
    }

    private func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    private func pad6(_ v: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, 6 - s.count)) + s
    }
}

/// A benchmark that could not run.
public struct BenchError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
