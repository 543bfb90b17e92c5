import Crypto
import Foundation
import Synchronization

/// The keys of an encrypted store, derived from the master key, and the cache of unwrapped
/// per-participant data keys.
///
/// `meta["encryption"]` holds a version byte (1), a random 16-byte salt and a 32-byte check
/// value (HMAC-SHA256 of `"journeystore/key-check"` under the master key, salted), so a wrong key
/// is recognised before anything is read or written. From the master key and the salt, HKDF-SHA256
/// derives the store key (seals events that belong to no participant and the records written by
/// `journey forget`), the wrapping key (seals each participant's data key in the `keys`
/// database) and the blinding key (HMAC of institution ids in the store's indexes).
///
/// `@unchecked Sendable`: the keys are immutable (`SymmetricKey` is not marked `Sendable` in
/// this swift-crypto) and the cache is behind a `Mutex`.
final class StoreCipher: @unchecked Sendable {
    let storeKey: SymmetricKey
    private let wrapKey: SymmetricKey
    private let blindKey: SymmetricKey
    private let dataKeys = Mutex<[String: SendableKey]>([:])

    static let metaVersion: UInt8 = 1
    static let saltSize = 16

    private init(master: SymmetricKey, salt: [UInt8]) {
        func derive(_ label: String) -> SymmetricKey {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: master, salt: salt, info: Array(label.utf8), outputByteCount: 32)
        }
        storeKey = derive("journeystore/store-key")
        wrapKey = derive("journeystore/wrap-key")
        blindKey = derive("journeystore/blind-key")
    }

    private static func check(master: SymmetricKey, salt: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: salt + Array("journeystore/key-check".utf8), using: master))
    }

    /// The `meta["encryption"]` value of a new store under `master` (a fresh salt); the store's
    /// cipher is then opened from it like any other store's.
    static func encryptionRecord(master: MasterKey) -> [UInt8] {
        let salt = SecureRandom.bytes(saltSize)
        return [metaVersion] + salt + check(master: master.key, salt: salt)
    }

    /// The cipher of an existing store; throws if `master` is not its key.
    static func open(master: MasterKey, meta: [UInt8], directory: String) throws -> StoreCipher {
        guard meta.count == 1 + saltSize + 32, meta[0] == metaVersion else {
            throw StoreError("\(directory): the store's encryption record is damaged or of an unknown version")
        }
        let salt = Array(meta[1...saltSize])
        let expected = Array(meta[(1 + saltSize)...])
        guard check(master: master.key, salt: salt) == expected else {
            throw StoreError("\(master.path): this is not the key of the store in \(directory) (nothing was read or written)")
        }
        return StoreCipher(master: master.key, salt: salt)
    }

    // MARK: - Blinded institution ids

    /// The index key standing for an institution id: HMAC-SHA256 under the blinding key, the
    /// first 16 bytes as 32 lower-case hex digits.
    func blind(_ institution: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array(institution.utf8), using: blindKey)
        return Hex.encode(Array(code).prefix(16))
    }

    // MARK: - Data keys

    /// A new random data key (`SecureRandom`: one request for its 32 bytes, not four).
    func newDataKey() -> SymmetricKey { SymmetricKey(data: SecureRandom.bytes(32)) }

    private static func wrapContext(_ participant: String) -> [UInt8] { Array("journeystore/data-key\u{0}\(participant)".utf8) }

    /// `key` sealed under the wrapping key with a random nonce, bound to `participant`:
    /// nonce || ciphertext || tag. Through `encryptor` (libcrypto, the wrapping key's schedule
    /// kept from one participant to the next) when given, else through swift-crypto.
    func wrap(_ key: SymmetricKey, participant: String, with encryptor: GroupEncryptor? = nil) throws -> [UInt8] {
        if let encryptor {
            let nonce = SecureRandom.bytes(12)
            return try key.withUnsafeBytes { raw in
                try nonce.withUnsafeBytes { n in
                    try encryptor.seal(raw, using: wrapKey, nonce: n, authenticating: Self.wrapContext(participant))
                }
            }
        }
        let box = try key.withUnsafeBytes { raw in
            try AES.GCM.seal(raw, using: wrapKey, authenticating: Self.wrapContext(participant))
        }
        guard let combined = box.combined else { throw StoreError("cannot wrap a data key") }
        return Array(combined)
    }

    /// The data key in a `keys` value; through `decryptor` (libcrypto, its key schedule kept
    /// from one participant to the next) when given, else through swift-crypto.
    func unwrap(_ wrapped: UnsafeRawBufferPointer, participant: String, with decryptor: GroupDecryptor? = nil) throws -> SymmetricKey {
        do {
            if let decryptor {
                return SymmetricKey(data: try decryptor.open(wrapped, using: wrapKey, authenticating: Self.wrapContext(participant)))
            }
            let box = try AES.GCM.SealedBox(combined: Data(wrapped))
            let raw = try AES.GCM.open(box, using: wrapKey, authenticating: Self.wrapContext(participant))
            return SymmetricKey(data: raw)
        } catch {
            throw StoreError("the data key of participant \"\(participant)\" does not unwrap (damaged keys database; run journey verify)")
        }
    }

    /// A data key unwrapped earlier in this process.
    func cachedKey(_ participant: String) -> SymmetricKey? { dataKeys.withLock { $0[participant]?.key } }

    /// Remembers an unwrapped data key.
    func cache(_ key: SymmetricKey, for participant: String) { dataKeys.withLock { $0[participant] = SendableKey(key: key) } }

    /// Drops a participant's key from the cache (after `forget`).
    func evict(_ participant: String) { _ = dataKeys.withLock { $0.removeValue(forKey: participant) } }
}

/// A data key in the cache (`SymmetricKey` is immutable but not marked `Sendable` here).
private struct SendableKey: @unchecked Sendable {
    let key: SymmetricKey
}
