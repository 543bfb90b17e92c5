import CLibCrypto

/// SHA-256 for the hash chain through OpenSSL's libcrypto, with nothing allocated per hash.
/// (swift-crypto's `SHA256` made a digest context and the digest an array per record - two
/// allocations and ~1,400 instructions an event besides the hashing itself; libcrypto's EVP
/// interface costs ~550 in its set-up alone, so the direct functions are used, through
/// `journey_sha256_parts` in the module's shim.) Same algorithm, same bytes: the tests compare it
/// with swift-crypto, and `tools/read_store.py` checks the chain with Python's `hashlib`.
///
/// Stateless: any thread may use it. All libcrypto pointers stay in this file.
enum ChainHasher {
    /// SHA-256 of the four parts one after another, written to `digest` (32 bytes).
    static func hash(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, _ c: UnsafeRawBufferPointer,
                     _ d: UnsafeRawBufferPointer, into digest: UnsafeMutableRawPointer) {
        let ok = journey_sha256_parts(a.baseAddress, a.count, b.baseAddress, b.count, c.baseAddress, c.count,
                                      d.baseAddress, d.count, digest.assumingMemoryBound(to: UInt8.self))
        // Hashing in memory fails only if libcrypto itself is broken.
        precondition(ok == 1, "libcrypto: SHA-256 failed")
    }
}
