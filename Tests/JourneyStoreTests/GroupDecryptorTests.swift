import Crypto
import Foundation
import Testing
@testable import JourneyStore

/// Groups are sealed with swift-crypto and opened with libcrypto: the two must agree on every
/// byte, and the opener must refuse anything altered - whatever the order of keys it is given.
struct GroupDecryptorTests {
    static func seal(_ plain: [UInt8], key: SymmetricKey, aad: [UInt8], nonce: [UInt8]) throws -> [UInt8] {
        let box = try AES.GCM.seal(plain, using: key, nonce: try AES.GCM.Nonce(data: nonce), authenticating: aad)
        return Array(box.combined!)
    }

    @Test func opensWhatSwiftCryptoSealedAcrossKeyChanges() throws {
        let keys = (0..<3).map { _ in SymmetricKey(size: .bits256) }
        let decryptor = try GroupDecryptor()
        var random = SystemRandomNumberGenerator()
        // Keys in runs and alternating, sizes from empty to several pages.
        for (round, k) in [0, 0, 1, 0, 2, 2, 2, 1, 0].enumerated() {
            for size in [0, 1, 15, 16, 17, 255, 1_800, 9_000] {
                let plain = (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }
                let aad = Array("journeystore/group".utf8) + [UInt8(round), UInt8(size & 0xFF)]
                let nonce = (0..<12).map { _ in UInt8.random(in: 0...255, using: &random) }
                let sealed = try Self.seal(plain, key: keys[k], aad: aad, nonce: nonce)
                let opened = try sealed.withUnsafeBytes { try decryptor.open($0, using: keys[k], authenticating: aad) }
                #expect(Array(opened) == plain)
            }
        }
    }

    @Test func refusesAnAlteredByteAWrongKeyOrOtherAdditionalData() throws {
        let key = SymmetricKey(size: .bits256), other = SymmetricKey(size: .bits256)
        let aad = Array("journeystore/group".utf8)
        let plain = Array("{\"id\":\"e1\",\"type\":\"contact\"}".utf8)
        let sealed = try Self.seal(plain, key: key, aad: aad, nonce: Array(repeating: 7, count: 12))
        let decryptor = try GroupDecryptor()
        func opens(_ bytes: [UInt8], _ key: SymmetricKey, _ aad: [UInt8]) -> Bool {
            (try? bytes.withUnsafeBytes { try decryptor.open($0, using: key, authenticating: aad) }) != nil
        }
        #expect(opens(sealed, key, aad))
        for i in sealed.indices {
            var altered = sealed
            altered[i] ^= 0x01
            #expect(!opens(altered, key, aad), "byte \(i) altered")
            // A refusal leaves the decryptor usable for the next group.
            #expect(opens(sealed, key, aad))
        }
        #expect(!opens(sealed, other, aad))
        #expect(!opens(sealed, key, aad + [0]))
        #expect(!opens(Array(sealed.dropLast()), key, aad))
        #expect(!opens(Array(sealed.prefix(27)), key, aad))
        #expect(opens(sealed, key, aad))
    }
}
