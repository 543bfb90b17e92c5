import Foundation

extension DemoCohort {
    /// Writes the cohort as JSON Lines to `path` (mode 0600), streaming; returns the line count.
    @discardableResult
    public func write(to path: String) throws -> Int {
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw DemoError("\(path): cannot create the file")
        }
        defer { try? handle.close() }
        var buffer = ""
        var lines = 0
        try generate { line in
            buffer += line
            buffer += "\n"
            lines += 1
            if buffer.utf8.count >= 1 << 20 {
                try handle.write(contentsOf: Data(buffer.utf8))
                buffer = ""
            }
        }
        try handle.write(contentsOf: Data(buffer.utf8))
        return lines
    }
}
