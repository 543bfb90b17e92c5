import CLibCrypto
import Crypto

/// Seals groups with AES-256-GCM through OpenSSL's libcrypto, keeping one cipher context - the
/// key schedule and GHASH tables - while consecutive groups share a key (an import batch seals a
/// participant's groups one after another). swift-crypto builds a new context, and several
/// `Data`, for every call: a third of the sealing stage's time went there. Same algorithm, same
/// bytes as `AES.GCM.seal` with the same nonce: the tests open its groups with swift-crypto.
///
/// One encryptor belongs to one thread. All libcrypto pointers stay in this file.
final class GroupEncryptor {
    private let context: OpaquePointer
    /// The key the context holds.
    private var currentKey: SymmetricKey?

    init() throws {
        guard let context = EVP_CIPHER_CTX_new() else { throw StoreError("libcrypto: cannot create a cipher context") }
        self.context = context
        guard EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil) == 1,
              EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_IVLEN, 12, nil) == 1 else {
            EVP_CIPHER_CTX_free(context)
            throw StoreError("libcrypto: cannot set up AES-256-GCM")
        }
    }

    deinit { EVP_CIPHER_CTX_free(context) }

    /// `plain` sealed under `key` with the 12-byte `nonce` and `additionalData`:
    /// nonce || ciphertext || tag 16.
    func seal(_ plain: UnsafeRawBufferPointer, using key: SymmetricKey, nonce: UnsafeRawBufferPointer,
              authenticating additionalData: [UInt8]) throws -> [UInt8] {
        try additionalData.withUnsafeBytes { try seal(plain, using: key, nonce: nonce, authenticating: $0) }
    }

    /// `seal`, with the additional data as bytes.
    func seal(_ plain: UnsafeRawBufferPointer, using key: SymmetricKey, nonce: UnsafeRawBufferPointer,
              authenticating additionalData: UnsafeRawBufferPointer) throws -> [UInt8] {
        let nonceSize = 12, tagSize = 16
        precondition(nonce.count == nonceSize, "a group nonce is 12 bytes")
        if currentKey != key {
            currentKey = nil
            guard key.bitCount == 256 else { throw StoreError("libcrypto: a group key must be 32 bytes") }
            let ok = key.withUnsafeBytes { k in
                EVP_EncryptInit_ex(context, nil, nil, k.baseAddress!.assumingMemoryBound(to: UInt8.self), nil) == 1
            }
            guard ok else { throw StoreError("libcrypto: cannot set up AES-256-GCM") }
            currentKey = key
        }
        var ok = false
        let sealed = [UInt8](unsafeUninitializedCapacity: nonceSize + plain.count + tagSize) { out, count in
            count = 0
            let base = out.baseAddress!
            UnsafeMutableRawBufferPointer(start: base, count: nonceSize).copyMemory(from: nonce)
            var length: Int32 = 0
            guard EVP_EncryptInit_ex(context, nil, nil, nil, nonce.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 1 else { return }
            guard additionalData.isEmpty || EVP_EncryptUpdate(context, nil, &length, additionalData.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                                              Int32(additionalData.count)) == 1 else { return }
            if plain.count > 0 {
                guard EVP_EncryptUpdate(context, base + nonceSize, &length, plain.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                        Int32(plain.count)) == 1, Int(length) == plain.count else { return }
            }
            var finalLength: Int32 = 0
            guard EVP_EncryptFinal_ex(context, base + nonceSize + plain.count, &finalLength) == 1, finalLength == 0,
                  EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_GET_TAG, Int32(tagSize), base + nonceSize + plain.count) == 1
            else { return }
            ok = true
            count = nonceSize + plain.count + tagSize
        }
        guard ok else {
            currentKey = nil
            throw StoreError("libcrypto: sealing failed")
        }
        return sealed
    }
}
