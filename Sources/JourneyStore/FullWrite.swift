import Foundation

/// `write(2)` until every byte is written (retrying interruptions): the one place files and
/// pipes are written byte by byte.
public enum FullWrite {
    /// Writes all of `bytes` to `fd`; on failure throws `StoreError("<what>: cannot write: <reason>")`.
    public static func write(_ bytes: UnsafeRawBufferPointer, to fd: Int32, what: String) throws {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreError("\(what): cannot write: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }
}
