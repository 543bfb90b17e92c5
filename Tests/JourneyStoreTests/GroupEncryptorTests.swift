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

/// Data keys wrapped through libcrypto (as imports wrap them) unwrap through swift-crypto and
/// through libcrypto, bound to their participant; each wrap has a nonce of its own.
struct KeyWrappingTests {
    @Test func keysWrappedThroughLibcryptoUnwrapEitherWayAndOnlyForTheirParticipant() throws {
        let dir = try TemporaryDirectory()
        let master = try MasterKey.create(path: dir.path + "/master.key")
        let cipher = try StoreCipher.open(master: master, meta: StoreCipher.encryptionRecord(master: master), directory: dir.path)
        let encryptor = try GroupEncryptor()
        for participant in ["P1", "P2", "a-much-longer-pseudonym.1"] {
            let key = cipher.newDataKey()
            let wrapped = try cipher.wrap(key, participant: participant, with: encryptor)
            let again = try cipher.wrap(key, participant: participant, with: encryptor)
            #expect(wrapped.count == 60 && wrapped.prefix(12) != again.prefix(12))
            let viaSwiftCrypto = try wrapped.withUnsafeBytes { try cipher.unwrap($0, participant: participant) }
            let viaLibcrypto = try wrapped.withUnsafeBytes { try cipher.unwrap($0, participant: participant, with: try GroupDecryptor()) }
            #expect(viaSwiftCrypto == key && viaLibcrypto == key)
            #expect(throws: StoreError.self) { try wrapped.withUnsafeBytes { try cipher.unwrap($0, participant: participant + "x") } }
        }
    }

    /// Data keys and nonces come from libcrypto's generator a buffer at a time: every key of
    /// many is new, and so is every nonce.
    @Test func newDataKeysAndNoncesAreDistinct() throws {
        let dir = try TemporaryDirectory()
        let master = try MasterKey.create(path: dir.path + "/master.key")
        let cipher = try StoreCipher.open(master: master, meta: StoreCipher.encryptionRecord(master: master), directory: dir.path)
        let keys = (0..<2_000).map { _ in cipher.newDataKey().withUnsafeBytes { Array($0) } }
        #expect(Set(keys).count == keys.count && keys.allSatisfy { $0.count == 32 })
        let nonces = (0..<2_000).map { _ in SecureRandom.bytes(12) }
        #expect(Set(nonces).count == nonces.count && nonces.allSatisfy { $0.count == 12 })
    }
}
