import Foundation

/// A private folder (mode 0700) inside an output directory where a dump or report is written
/// before it is moved into place: `DIR/<prefix><pid>`. Its process holds a lock on the folder's
/// `.owner` file while it lives, so a later run removes the folders of runs that died (whatever
/// their pid) and leaves those of runs still going.
public final class StagingFolder {
    /// The folder's path.
    public let path: String
    private let ownerFD: Int32

    /// Removes stale staging folders of `prefix` in `directory`, then makes this process's.
    public init(in directory: String, prefix: String) throws {
        Self.removeStale(in: directory, prefix: prefix)
        path = directory + "/" + prefix + String(getpid())
        try? FileManager.default.removeItem(atPath: path)
        guard mkdir(path, 0o700) == 0 else {
            throw StoreError("\(directory): cannot write into the directory: \(String(cString: strerror(errno)))")
        }
        ownerFD = open(path + "/.owner", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard ownerFD >= 0, flock(ownerFD, LOCK_EX | LOCK_NB) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: path)
            throw StoreError("\(path): cannot lock the staging folder: \(reason)")
        }
    }

    /// Makes the file `name` in the folder (or a subfolder of it) for writing, mode 0600 from
    /// the start; returns its descriptor.
    public func create(_ name: String) throws -> Int32 {
        let fd = open(path + "/" + name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError("\(path)/\(name): cannot create: \(String(cString: strerror(errno)))") }
        return fd
    }

    /// Removes the folder and what is left in it.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    deinit {
        close(ownerFD)
    }

    /// Removes folders `prefix*` in `directory` whose owner lock is free (their run died).
    static func removeStale(in directory: String, prefix: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(prefix) {
            let folder = directory + "/" + name
            var info = stat()
            guard lstat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { continue }
            let fd = open(folder + "/.owner", O_RDWR | O_CLOEXEC)
            if fd >= 0 {
                defer { close(fd) }
                guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue }  // its run is still going
            } else if let pid = Int32(name.dropFirst(prefix.count)), pid != getpid(), kill(pid, 0) == 0 || errno == EPERM {
                continue  // no owner file yet: its process may still be making it
            }
            try? FileManager.default.removeItem(atPath: folder)
        }
    }
}
