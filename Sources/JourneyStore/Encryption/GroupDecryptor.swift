import CLibCrypto
import Crypto
import Foundation

/// Opens AES-256-GCM sealed groups with OpenSSL's libcrypto, keeping one cipher context - the
/// key schedule and GHASH tables - while consecutive groups share a key (a participant's groups
/// are read together). swift-crypto, which seals them, builds a new context for every call,
/// which costs more than opening a group's 2 KB itself. Same algorithm, same bytes: the tests
/// open what swift-crypto sealed, and `tools/read_store.py` a third implementation.
///
/// One decryptor belongs to one thread. All libcrypto pointers stay in this file.
final class GroupDecryptor {
    private let context: OpaquePointer
    /// The key the context holds.
    private var currentKey: SymmetricKey?

    init() throws {
        guard let context = EVP_CIPHER_CTX_new() else { throw StoreError("libcrypto: cannot create a cipher context") }
        self.context = context
        // The cipher and nonce length are set once; a new key then only replaces the key schedule.
        guard EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil) == 1,
              EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_IVLEN, 12, nil) == 1 else {
            EVP_CIPHER_CTX_free(context)
            throw StoreError("libcrypto: cannot set up AES-256-GCM")
        }
    }

    deinit { EVP_CIPHER_CTX_free(context) }

    /// The plaintext of `combined` (nonce 12 || ciphertext || tag 16) sealed under `key` with
    /// `authenticating` as additional data; throws if it does not authenticate.
    func open(_ combined: UnsafeRawBufferPointer, using key: SymmetricKey, authenticating additionalData: [UInt8]) throws -> [UInt8] {
        var plain: [UInt8] = []
        try additionalData.withUnsafeBytes { try open(combined, using: key, authenticating: $0, into: &plain) }
        return plain
    }

    /// `open`, into `plain` (its contents replaced, its room reused); `plain` is left empty if
    /// `combined` does not authenticate.
    func open(_ combined: UnsafeRawBufferPointer, using key: SymmetricKey, authenticating additionalData: UnsafeRawBufferPointer,
              into plain: inout [UInt8]) throws {
        let nonceSize = 12, tagSize = 16
        plain.removeAll(keepingCapacity: true)
        guard combined.count >= nonceSize + tagSize else { throw GroupDecryptorError.notAuthentic }
        try useKey(key)
        let base = combined.baseAddress!
        let cipherLength = combined.count - nonceSize - tagSize
        // (At least one byte, so the output pointer is never nil; an empty group's is cut off.)
        plain.append(contentsOf: repeatElement(0, count: max(cipherLength, 1)))
        let ok = plain.withUnsafeMutableBufferPointer { out -> Bool in
            let output = out.baseAddress!
            var length: Int32 = 0
            guard EVP_DecryptInit_ex(context, nil, nil, nil, base.assumingMemoryBound(to: UInt8.self)) == 1,
                  additionalData.isEmpty || EVP_DecryptUpdate(context, nil, &length, additionalData.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                                               Int32(additionalData.count)) == 1 else { return false }
            if cipherLength > 0 {
                guard EVP_DecryptUpdate(context, output, &length, (base + nonceSize).assumingMemoryBound(to: UInt8.self),
                                        Int32(cipherLength)) == 1, Int(length) == cipherLength else { return false }
            }
            // The tag copied to the stack (the call takes a mutable pointer; the record is in the map).
            var tag: (UInt64, UInt64) = (0, 0)
            let tagSet = withUnsafeMutableBytes(of: &tag) { t in
                t.copyMemory(from: UnsafeRawBufferPointer(rebasing: combined[(combined.count - tagSize)...]))
                return EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_TAG, Int32(tagSize), t.baseAddress) == 1
            }
            guard tagSet else { return false }
            var finalLength: Int32 = 0
            return EVP_DecryptFinal_ex(context, output, &finalLength) == 1 && finalLength == 0
        }
        guard ok else {
            // What was not authenticated is never handed out; the next group starts from a fresh key set-up.
            plain.removeAll(keepingCapacity: true)
            currentKey = nil
            throw GroupDecryptorError.notAuthentic
        }
        if cipherLength == 0 { plain.removeAll(keepingCapacity: true) }
    }

    /// Loads `key` into the context unless it is there already.
    private func useKey(_ key: SymmetricKey) throws {
        if let currentKey, currentKey == key { return }
        currentKey = nil
        guard key.bitCount == 256 else { throw StoreError("libcrypto: a group key must be 32 bytes") }
        let ok = key.withUnsafeBytes { k in
            EVP_DecryptInit_ex(context, nil, nil, k.baseAddress!.assumingMemoryBound(to: UInt8.self), nil) == 1
        }
        guard ok else { throw StoreError("libcrypto: cannot set up AES-256-GCM") }
        currentKey = key
    }
}

/// A sealed group that does not authenticate under the key given.
enum GroupDecryptorError: Error { case notAuthentic }
