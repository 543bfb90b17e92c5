import Crypto

/// The tamper-evident chain over the log: LMDB 0.9 has no checksums of its own.
///
/// `hash(n) = SHA-256(hash(n-1) || seq(n) as 8 big-endian bytes || record(n) with its 32 hash
/// bytes left out)`, with `hash(0)` = 32 zero bytes.
enum HashChain {
    /// Assembles the input in `scratch` (reused between calls) and hashes it in one call: far
    /// cheaper than several incremental updates for records of a few hundred bytes.
    static func hash(previous: [UInt8], seq: UInt64, record: UnsafeRawBufferPointer, scratch: inout [UInt8]) -> [UInt8] {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: previous)
        StorageLayout.appendUInt64(seq, to: &scratch)
        scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: record[0..<StorageLayout.hashOffset]))
        scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: record[(StorageLayout.hashOffset + StorageLayout.hashSize)...]))
        // The digest copied as bytes (making an Array from the digest as a sequence goes byte by byte).
        return scratch.withUnsafeBytes { SHA256.hash(data: $0).withUnsafeBytes { Array($0) } }
    }

    /// Chains the record that starts at `start` in `out` (its 32 hash bytes at `start + 16`,
    /// still zero), writes the hash into it and returns it.
    static func fill(_ out: inout [UInt8], recordAt start: Int, previous: [UInt8], seq: UInt64, scratch: inout [UInt8]) -> [UInt8] {
        let hash = out.withUnsafeBytes { all in
            Self.hash(previous: previous, seq: seq, record: UnsafeRawBufferPointer(rebasing: all[start...]), scratch: &scratch)
        }
        out.withUnsafeMutableBytes { dst in
            for i in 0..<StorageLayout.hashSize { dst[start + StorageLayout.hashOffset + i] = hash[i] }
        }
        return hash
    }
}
