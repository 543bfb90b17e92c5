import Foundation

/// A lock on `DIR/open.lock` that every `EventStore` holds shared for as long as it is open, and
/// that a compaction (`forget`) holds exclusive while it copies the environment and swaps the copy
/// in: so nothing writes into the old file during the copy (its writes would be lost with it),
/// and a store opened during the swap waits for it rather than reading the new file through the
/// old lock file's state. `flock` locks belong to the open file, so two stores of one process
/// share the lock, and the kernel drops it when the process dies.
final class StoreUseLock: Sendable {
    private let fd: Int32

    /// Takes the lock shared, waiting while a compaction holds it (`onWait` is told once). A
    /// store in a directory where the lock file can be neither opened nor made (read-only
    /// media) has no lock: `nil`.
    static func shared(directory: String, onWait: () -> Void = {}) throws -> StoreUseLock? {
        let path = directory + "/open.lock"
        var fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        if fd < 0 { fd = open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { return nil }
        let lock = StoreUseLock(fd: fd)
        try lock.take(LOCK_SH, path: path, onWait: onWait)
        return lock
    }

    /// Takes the lock exclusive, waiting up to `timeout` seconds for every other store of the
    /// directory to close; `nil` if they did not (the caller's stores must be closed first, or
    /// it waits for itself).
    static func exclusive(directory: String, timeout: Double, onWait: () -> Void) throws -> StoreUseLock? {
        let path = directory + "/open.lock"
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError("\(path): cannot open: \(String(cString: strerror(errno)))") }
        let lock = StoreUseLock(fd: fd)
        let deadline = Date().addingTimeInterval(timeout)
        var told = false
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                throw StoreError("\(path): cannot lock: \(String(cString: strerror(errno)))")
            }
            if Date() >= deadline { return nil }
            if !told {
                onWait()
                told = true
            }
            usleep(20_000)
        }
        return lock
    }

    private init(fd: Int32) { self.fd = fd }

    private func take(_ operation: Int32, path: String, onWait: () -> Void) throws {
        if flock(fd, operation | LOCK_NB) == 0 { return }
        onWait()
        while flock(fd, operation) != 0 {
            guard errno == EINTR else { throw StoreError("\(path): cannot lock: \(String(cString: strerror(errno)))") }
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
