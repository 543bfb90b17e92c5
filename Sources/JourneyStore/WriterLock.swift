import Foundation

/// An exclusive advisory lock (`flock`) on `DIR/writer.lock`, held by the one process that
/// appends. The kernel drops it when the process dies, so a killed import never blocks the next.
final class WriterLock {
    private let fd: Int32

    /// Takes the lock, waiting for another writer if needed (`onWait` is told once).
    init(directory: String, onWait: () -> Void) throws {
        let path = directory + "/writer.lock"
        fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError("\(path): cannot open the writer lock: \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            onWait()
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    close(fd)
                    throw StoreError("\(path): cannot take the writer lock: \(String(cString: strerror(errno)))")
                }
            }
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
