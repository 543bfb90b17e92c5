import Foundation
import JourneyModel

extension EventStore {
    /// Writes the committed log (or one participant's events) up to `upto` as JSON Lines, each
    /// event as imported plus `seq`, `appended` and `hash`, to `fd` (standard output by default).
    /// Events of participants removed by `journey forget` cannot be read and are left out (the
    /// `participant.exited` event `forget` appended stays). Returns how many events were written.
    @discardableResult
    public func export(participant: String? = nil, upto: UInt64? = nil, to fd: Int32 = STDOUT_FILENO) throws -> Int {
        _ = try contentCipher()
        var out = OutputBuffer(fd: fd)
        var count = 0
        try read { snapshot in
            if let participant {
                for stored in try snapshot.events(ofParticipant: participant, upto: upto) where !stored.isForgotten {
                    stored.exportLine(into: &out.bytes)
                    count += 1
                    try out.flushIfFull()
                }
            } else {
                try snapshot.forEachEvent(upto: upto) { stored in
                    guard !stored.isForgotten else { return }
                    stored.exportLine(into: &out.bytes)
                    count += 1
                    try out.flushIfFull()
                }
            }
        }
        try out.flush()
        return count
    }
}

/// Buffered writes to a file descriptor.
struct OutputBuffer {
    let fd: Int32
    var bytes: [UInt8] = []

    init(fd: Int32) {
        self.fd = fd
        bytes.reserveCapacity(1 << 20)
    }

    mutating func flushIfFull() throws {
        if bytes.count >= 1 << 20 { try flush() }
    }

    mutating func flush() throws {
        try bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let n = write(fd, base + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw StoreError("cannot write output: \(String(cString: strerror(errno)))")
                }
                offset += n
            }
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
