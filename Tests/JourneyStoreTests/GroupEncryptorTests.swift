import Crypto
import Foundation
import Testing
@testable import JourneyStore

/// Groups are sealed with libcrypto and opened with swift-crypto (and the other way round in
/// `GroupDecryptorTests`): the bytes must be exactly swift-crypto's for the same nonce, across
/// key changes and sizes from empty to several pages.
struct GroupEncryptorTests {
    @Test func sealsExactlyAsSwiftCryptoAcrossKeyChanges() throws {
        let keys = (0..<3).map { _ in SymmetricKey(size: .bits256) }
        let encryptor = try GroupEncryptor()
        var random = SystemRandomNumberGenerator()
        for (round, k) in [0, 0, 1, 0, 2, 2, 2, 1, 0].enumerated() {
            for size in [0, 1, 15, 16, 17, 255, 1_800, 9_000] {
                let plain = (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }
                let aad = Array("journeystore/group".utf8) + [UInt8(round), UInt8(size & 0xFF)]
                let nonce = (0..<12).map { _ in UInt8.random(in: 0...255, using: &random) }
                let sealed = try plain.withUnsafeBytes { p in
                    try nonce.withUnsafeBytes { n in try encryptor.seal(p, using: keys[k], nonce: n, authenticating: aad) }
                }
                #expect(sealed == (try GroupDecryptorTests.seal(plain, key: keys[k], aad: aad, nonce: nonce)))
                let box = try AES.GCM.SealedBox(combined: sealed)
                #expect(Array(try AES.GCM.open(box, using: keys[k], authenticating: aad)) == plain)
            }
        }
    }
}
