import Crypto
import Foundation

/// The key that unlocks an encrypted store: 32 random bytes, written as 64 hexadecimal digits in
/// a file of its own that lives outside the store directory (never in the LMDB files). It wraps
/// the per-participant data keys; without it no participant content can be read.
///
/// `@unchecked Sendable`: swift-crypto's `SymmetricKey` is an immutable value that this version
/// does not mark `Sendable`.
public struct MasterKey: @unchecked Sendable {
    /// The 256-bit key.
    let key: SymmetricKey
    /// The file it came from.
    public let path: String

    /// The environment variable naming the key file when `--key-file` is not given.
    public static let environmentVariable = "JOURNEY_KEY_FILE"

    /// Reads the key in `path`: 64 hexadecimal digits, optionally followed by a line end.
    /// A key file that others may read or write is refused, as ssh refuses such a private key.
    public static func load(path: String) throws -> MasterKey {
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & 0o077 != 0 {
            let mode = String(info.st_mode & 0o777, radix: 8)
            throw StoreError("\(path): the key file may be read or changed by others (mode \(mode)); make it private to you with: chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) { throw StoreError("\(path): cannot read the key file") }
            throw StoreError("\(path): no such key file")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Self.bytes(hex: text), bytes.count == 32 else {
            throw StoreError("\(path): not a journey key file (expected 64 hexadecimal digits, as `journey init --encrypt` writes)")
        }
        return MasterKey(key: SymmetricKey(data: bytes), path: path)
    }

    /// Makes a new random key and writes it to `path` (mode 0600); refuses to overwrite a file.
    public static func create(path: String) throws -> MasterKey {
        let key = SymmetricKey(size: .bits256)
        let text = key.withUnsafeBytes { Hex.encode($0) } + "\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError("\(path): cannot create the key file: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let written = text.utf8.withContiguousStorageIfAvailable { write(fd, $0.baseAddress, $0.count) } ?? -1
        guard written == text.utf8.count, fsync(fd) == 0 else {
            unlink(path)
            throw StoreError("\(path): cannot write the key file: \(String(cString: strerror(errno)))")
        }
        return MasterKey(key: key, path: path)
    }

    /// The key file named by `$JOURNEY_KEY_FILE`, if set.
    public static var pathFromEnvironment: String? {
        guard let value = ProcessInfo.processInfo.environment[environmentVariable], !value.isEmpty else { return nil }
        return value
    }

    private static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let hi = value(digits[i]), let lo = value(digits[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}
