/// The tamper-evident chain over the log: LMDB 0.9 has no checksums of its own.
///
/// `hash(n) = SHA-256(hash(n-1) || seq(n) as 8 big-endian bytes || record(n) with its 32 hash
/// bytes left out)`, with `hash(0)` = 32 zero bytes.
enum HashChain {
    /// The hash of `record` (its hash bytes, whatever they hold, left out) chained from `previous`.
    static func hash(previous: [UInt8], seq: UInt64, record: UnsafeRawBufferPointer) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: StorageLayout.hashSize)
        digest.withUnsafeMutableBytes { d in
            previous.withUnsafeBytes { p in hash(previous: p, seq: seq, record: record, into: d.baseAddress!) }
        }
        return digest
    }

    /// Chains the record that starts at `start` in `out` (its 32 hash bytes at `start + 16`):
    /// writes its hash into it and into `previous`, which held the hash it chains from.
    static func fill(_ out: inout [UInt8], recordAt start: Int, chaining previous: inout [UInt8], seq: UInt64) {
        let hashRange = (start + StorageLayout.hashOffset)..<(start + StorageLayout.hashOffset + StorageLayout.hashSize)
        out.withUnsafeMutableBytes { all in
            let record = UnsafeRawBufferPointer(rebasing: all[start...])
            previous.withUnsafeBytes { p in hash(previous: p, seq: seq, record: record, into: all.baseAddress! + hashRange.lowerBound) }
        }
        // The new hash is the next record's previous one (copied in place: no array per record).
        if previous.count != StorageLayout.hashSize { previous = [UInt8](repeating: 0, count: StorageLayout.hashSize) }
        previous.withUnsafeMutableBytes { p in out.withUnsafeBytes { p.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[hashRange])) } }
    }

    private static func hash(previous: UnsafeRawBufferPointer, seq: UInt64, record: UnsafeRawBufferPointer,
                             into digest: UnsafeMutableRawPointer) {
        withUnsafeBytes(of: seq.bigEndian) { seqBytes in
            ChainHasher.hash(previous, seqBytes, UnsafeRawBufferPointer(rebasing: record[0..<StorageLayout.hashOffset]),
                        UnsafeRawBufferPointer(rebasing: record[(StorageLayout.hashOffset + StorageLayout.hashSize)...]), into: digest)
        }
    }
}
