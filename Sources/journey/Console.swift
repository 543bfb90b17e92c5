import Foundation

/// Writing to the terminal: errors and progress on stderr, results on stdout.
enum Console {
    nonisolated(unsafe) private static var progressShown = false

    /// One line on stderr.
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Overwrites the progress line on stderr (only call when stderr is a terminal).
    static func progress(_ line: String) {
        progressShown = true
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    }

    /// Clears the progress line, if one is shown.
    static func progressDone() {
        if progressShown {
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            progressShown = false
        }
    }
}

/// A failure a command reports as `Error: message`, without the usage text that ArgumentParser
/// prints for a `ValidationError` (which is for bad arguments, not for missing data).
struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// "1 event", "2 events".
func plural(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

extension String {
    /// The string padded with spaces to `width` characters; never cut short.
    func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
