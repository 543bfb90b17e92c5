import CLibCrypto

/// Random bytes, a buffer at a time, from libcrypto's generator (seeded by the operating
/// system). `SystemRandomNumberGenerator` asks the kernel once for every integer it returns: a
/// new participant's data key and wrapping nonce were 16 system calls.
enum SecureRandom {
    /// `count` random bytes (from the system generator, eight at a time, should libcrypto
    /// have none to give).
    static func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        let ok = out.withUnsafeMutableBytes { RAND_bytes($0.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(count)) == 1 }
        if !ok {
            var system = SystemRandomNumberGenerator()
            for i in stride(from: 0, to: count, by: 8) {
                let word = system.next()
                for j in i..<min(count, i + 8) { out[j] = UInt8(truncatingIfNeeded: word >> (8 * (j - i))) }
            }
        }
        return out
    }
}
