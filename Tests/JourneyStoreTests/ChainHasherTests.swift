import Crypto
import Foundation
import Testing
@testable import JourneyStore

/// The chain's SHA-256 (libcrypto's direct functions) gives swift-crypto's digest for inputs of
/// every size split into parts anywhere.
struct ChainHasherTests {
    @Test func hashesAsSwiftCryptoOverPartsOfEverySize() {
        var random = SystemRandomNumberGenerator()
        for size in [0, 1, 31, 32, 55, 56, 63, 64, 65, 119, 120, 300, 1_000, 5_000] {
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }
            let cut1 = size == 0 ? 0 : Int.random(in: 0...size, using: &random)
            let cut2 = Int.random(in: cut1...size, using: &random)
            var digest = [UInt8](repeating: 0, count: 32)
            bytes.withUnsafeBytes { b in
                digest.withUnsafeMutableBytes { d in
                    ChainHasher.hash(UnsafeRawBufferPointer(rebasing: b[0..<cut1]), UnsafeRawBufferPointer(rebasing: b[cut1..<cut2]),
                                     UnsafeRawBufferPointer(rebasing: b[cut2...]), UnsafeRawBufferPointer(start: nil, count: 0),
                                     into: d.baseAddress!)
                }
            }
            #expect(digest == Array(SHA256.hash(data: bytes)), "size \(size), cuts \(cut1) \(cut2)")
        }
    }
}
