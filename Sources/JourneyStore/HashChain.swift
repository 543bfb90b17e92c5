import Crypto

/// The tamper-evident chain over the log: LMDB 0.9 has no checksums of its own.
///
/// `hash(n) = SHA-256(hash(n-1) || seq(n) as 8 big-endian bytes || record(n) with its 32 hash
/// bytes left out)`, with `hash(0)` = 32 zero bytes.
enum HashChain {
    static func hash(previous: [UInt8], seq: UInt64, record: UnsafeRawBufferPointer) -> [UInt8] {
        var h = SHA256()
        h.update(data: previous)
        withUnsafeBytes(of: seq.bigEndian) { h.update(bufferPointer: $0) }
        h.update(bufferPointer: UnsafeRawBufferPointer(rebasing: record[0..<StorageLayout.hashOffset]))
        h.update(bufferPointer: UnsafeRawBufferPointer(rebasing: record[(StorageLayout.hashOffset + StorageLayout.hashSize)...]))
        return Array(h.finalize())
    }
}
