import Foundation
import Synchronization

/// The locks that keep a compaction (`forget`) apart from everything else that uses a store.
///
/// Every open `EventStore` holds `DIR/open.lock` shared; a compaction holds it exclusive while it
/// copies the environment and swaps the copy in, so nothing writes into the old file during the
/// copy (its writes would be lost with it), and a store opened meanwhile waits for the swap
/// rather than reading the new file through the old lock file's state. `DIR/compact.lock` is a
/// turnstile: a compaction takes it first, and a process opening the store passes through it, so
/// a stream of new readers cannot keep a waiting compaction out for ever. A process that has the
/// store open already does not pass the turnstile again (it would wait for a compaction that
/// waits for it). `flock` locks belong to the open file; the kernel drops them when the process
/// dies.
final class StoreUseLock: Sendable {
    private let fd: Int32
    private let turnstile: Int32
    private let key: String?

    /// Stores open in this process, by directory (resolved).
    private static let openHere = Mutex<[String: Int]>([:])

    /// Takes the lock shared, waiting while a compaction runs (`onWait` is told once). A store
    /// in a directory where the lock file can be neither opened nor made (read-only media) has
    /// no lock: `nil`.
    static func shared(directory: String, onWait: () -> Void = {}) throws -> StoreUseLock? {
        let key = resolved(directory)
        let alreadyOpen = openHere.withLock { $0[key, default: 0] > 0 }
        var gate: Int32 = -1
        if !alreadyOpen {
            gate = openFile(directory + "/compact.lock")
            if gate >= 0 { try take(gate, LOCK_SH, path: directory + "/compact.lock", onWait: onWait) }
        }
        defer { if gate >= 0 { close(gate) } }
        let fd = openFile(directory + "/open.lock")
        guard fd >= 0 else { return nil }
        do {
            try take(fd, LOCK_SH, path: directory + "/open.lock", onWait: onWait)
        } catch {
            close(fd)
            throw error
        }
        openHere.withLock { $0[key, default: 0] += 1 }
        return StoreUseLock(fd: fd, turnstile: -1, key: key)
    }

    /// Takes the turnstile and then the lock exclusive, waiting up to `timeout` seconds for
    /// every other store of the directory to close; `nil` if they did not. The caller must have
    /// no store of the directory open.
    static func exclusive(directory: String, timeout: Double, onWait: () -> Void) throws -> StoreUseLock? {
        let deadline = Date().addingTimeInterval(timeout)
        var told = false
        func waitFor(_ path: String) throws -> Int32? {
            let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw StoreError("\(path): cannot open: \(String(cString: strerror(errno)))") }
            while flock(fd, LOCK_EX | LOCK_NB) != 0 {
                guard errno == EWOULDBLOCK || errno == EINTR else {
                    close(fd)
                    throw StoreError("\(path): cannot lock: \(String(cString: strerror(errno)))")
                }
                if Date() >= deadline {
                    close(fd)
                    return nil
                }
                if !told {
                    onWait()
                    told = true
                }
                usleep(10_000)
            }
            return fd
        }
        guard let gate = try waitFor(directory + "/compact.lock") else { return nil }
        guard let fd = try waitFor(directory + "/open.lock") else {
            close(gate)
            return nil
        }
        return StoreUseLock(fd: fd, turnstile: gate, key: nil)
    }

    private init(fd: Int32, turnstile: Int32, key: String?) {
        self.fd = fd
        self.turnstile = turnstile
        self.key = key
    }

    deinit {
        if let key { Self.openHere.withLock { $0[key, default: 1] -= 1 } }
        close(fd)  // releases the lock
        if turnstile >= 0 { close(turnstile) }
    }

    private static func openFile(_ path: String) -> Int32 {
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        return fd >= 0 ? fd : open(path, O_RDONLY | O_CLOEXEC)
    }

    private static func take(_ fd: Int32, _ operation: Int32, path: String, onWait: () -> Void) throws {
        if flock(fd, operation | LOCK_NB) == 0 { return }
        onWait()
        while flock(fd, operation) != 0 {
            guard errno == EINTR else { throw StoreError("\(path): cannot lock: \(String(cString: strerror(errno)))") }
        }
    }

    private static func resolved(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }
}
