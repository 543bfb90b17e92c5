import Foundation

/// Runs a program as a child process and measures it: wall time and peak resident memory.
public enum ChildProcess {
    /// What one run took.
    public struct Measurement: Sendable {
        public let exitStatus: Int32
        public let seconds: Double
        /// Peak resident set size of the child, in bytes (`ru_maxrss`).
        public let peakMemoryBytes: Int
        /// Peak of the child's anonymous resident memory (`RssAnon`: heap and stacks, not the
        /// mapped store file), sampled every 20 ms; 0 where `/proc` does not tell.
        public let peakHeapBytes: Int
    }

    /// Runs `arguments[0]` with the rest as its arguments; stdout goes to /dev/null.
    public static func measure(_ arguments: [String]) throws -> Measurement {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let start = DispatchTime.now()
        let rc = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
        guard rc == 0 else { throw BenchError("cannot start \(arguments[0]): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        var usage = rusage()
        var peakHeap = 0
        while true {
            let done = wait4(pid, &status, WNOHANG, &usage)
            if done == pid { break }
            if done < 0 {
                guard errno == EINTR else { throw BenchError("wait4 failed: \(String(cString: strerror(errno)))") }
                continue
            }
            peakHeap = max(peakHeap, anonymousResident(pid))
            usleep(20_000)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Measurement(exitStatus: exit, seconds: seconds, peakMemoryBytes: usage.ru_maxrss * 1024, peakHeapBytes: peakHeap)
    }

    /// `RssAnon` of process `pid`, in bytes (0 if unknown).
    static func anonymousResident(_ pid: pid_t) -> Int {
        #if os(Linux)
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("RssAnon:") {
            return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
        }
        #endif
        return 0
    }

    /// The `journey` executable beside the running one (`journey-bench` is built next to it).
    public static var journeyExecutable: String {
        (currentExecutable as NSString).deletingLastPathComponent + "/journey"
    }

    /// The absolute path of the running executable.
    public static var currentExecutable: String {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        #endif
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }
}

/// Order statistics over a sample.
public enum Stats {
    /// The median (mean of the two middle values for an even count).
    public static func median(_ values: [Double]) -> Double { percentile(values, 50) }

    /// The p-th percentile by nearest rank on the sorted values (p in 0...100).
    public static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        if p == 50 {
            let n = sorted.count
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
