import Foundation
import Testing

/// Runs the built `journey` binary (and other programs) the way a user would.
enum CommandRunner {
    /// The package root (two levels above this file's folder).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// The `journey` executable next to the test bundle.
    static var journey: String {
        get throws {
            var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = dir.appendingPathComponent("journey").path
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
                dir = dir.deletingLastPathComponent()
            }
            let fallback = packageRoot + "/.build/debug/journey"
            guard FileManager.default.isExecutableFile(atPath: fallback) else {
                throw RunError("the journey binary is not built; run `swift build` first")
            }
            return fallback
        }
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    struct RunError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    /// Runs `executable` with `arguments`, optionally feeding `stdin`, and waits.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        nonisolated(unsafe) var outData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            outData = out.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs `journey` with `arguments`.
    @discardableResult
    static func journey(_ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil) throws -> Result {
        try run(try journey, arguments, stdin: stdin, environment: environment)
    }
}

/// A temporary directory removed when dropped.
final class Scratch {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "journey-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ name: String, _ lines: [String]) throws -> String {
        let p = path + "/" + name
        try (lines.joined(separator: "\n") + "\n").write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }
}

/// `n` valid contact events spread over `participants`, ids prefixed by `prefix`.
func contacts(_ n: Int, prefix: String = "e", participants: Int = 50) -> [String] {
    (0..<n).map { i in
        #"{"id":"\#(prefix)\#(i)","type":"contact","participant":"P\#(i % participants)","at":"2023-05-\#(10 + i % 18)","source":"esm","data":{"institution":"inst-\#(i % 40)","role":"worker","reason":"weekly contact with the organisation"}}"#
    }
}
