import Foundation

/// Checks of an environment's `data.mdb` against its own meta pages, made before LMDB maps it:
/// LMDB trusts the file, and a page it maps past the end of a truncated file raises `SIGBUS` in
/// whichever process reads it.
public enum DataFile {
    /// LMDB's meta page layout (`MDB_meta` after a 16-byte page header, 64-bit build): magic at
    /// 16, version at 20, the free-page database's `md_pad` (the page size) at 40, `mm_last_pg`
    /// at 136, `mm_txnid` at 144.
    private static let magic: UInt32 = 0xBEEF_C0DE
    private static let metaBytes = 152

    /// What is wrong with `directory/data.mdb`, or `nil` when it is whole or absent (LMDB then
    /// makes a new one): an empty file, a file shorter than its meta pages, meta pages that are
    /// not LMDB's, or a file shorter than the last page its newest valid meta page names.
    public static func problem(directory: String) -> String? {
        let path = directory + "/data.mdb"
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return errno == ENOENT ? nil : "\(path): cannot open: \(String(cString: strerror(errno)))" }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return "\(path): cannot stat: \(String(cString: strerror(errno)))" }
        let size = Int(info.st_size)
        let damaged = "\(path): the store's data file is damaged"
        let advice = "restore the store directory from a backup (nothing was changed)"
        if size == 0 { return "\(path): the store's data file is empty (0 bytes): not a store; \(advice), or remove the directory to start a new store" }
        guard let first = read(fd, at: 0, count: metaBytes), first.count == metaBytes else {
            return "\(damaged): \(size) bytes, shorter than LMDB's meta pages; \(advice)"
        }
        guard word32(first, 16) == magic else { return "\(path): not an LMDB data file (no LMDB meta page); \(advice)" }
        let pageSize = Int(word32(first, 40))
        guard pageSize >= 512, pageSize <= 1 << 16, pageSize & (pageSize - 1) == 0 else {
            return "\(damaged): its meta page names a page size of \(pageSize) bytes; \(advice)"
        }
        guard size >= 2 * pageSize, let second = read(fd, at: pageSize, count: metaBytes), second.count == metaBytes else {
            return "\(damaged): \(size) bytes, shorter than its two meta pages (\(2 * pageSize) bytes); \(advice)"
        }
        // LMDB uses the valid meta page with the higher transaction id.
        let metas = [first, second].filter { word32($0, 16) == magic }
        guard let newest = metas.max(by: { word64($0, 144) < word64($1, 144) }) else { return "\(damaged): no valid meta page; \(advice)" }
        let lastPage = Int(truncatingIfNeeded: word64(newest, 136))
        let needed = (lastPage + 1).multipliedReportingOverflow(by: pageSize)
        guard lastPage >= 1, !needed.overflow else { return "\(damaged): its meta page names page \(lastPage) as the last; \(advice)" }
        guard size >= needed.partialValue else {
            return "\(damaged): \(size) bytes, but its meta page says the data runs to \(needed.partialValue) bytes (the file was truncated); \(advice)"
        }
        return nil
    }

    private static func read(_ fd: Int32, at offset: Int, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        return n < 0 ? nil : Array(bytes.prefix(n))
    }

    private static func word32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt32.self) }
    }

    private static func word64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt64.self) }
    }
}
