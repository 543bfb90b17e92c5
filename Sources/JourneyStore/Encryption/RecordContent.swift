import Crypto
import Foundation
import JourneyModel
import LMDB

/// Reading event content whether records are plain (version 1) or sealed (version 2): every
/// reader of event JSON goes through here, so encryption is decided in one place.
extension EventStore {
    /// What an encrypted store opened without its key says to anything that needs content.
    var needsKeyMessage: String {
        "\(directory): the store is encrypted; pass --key-file PATH (or set \(MasterKey.environmentVariable)) to read or change its content"
    }

    /// Throws the "pass --key-file" error if content cannot be read.
    public func requireContentKey() throws { _ = try contentCipher() }

    /// The cipher of an encrypted store (`nil` for a plain store); throws if the key is missing.
    func contentCipher() throws -> StoreCipher? {
        guard isEncrypted else { return nil }
        guard let cipher else { throw StoreError(needsKeyMessage) }
        return cipher
    }

    /// The key under which `institution` is indexed (`institutions`, `projection-codings`): the
    /// id itself, or in an encrypted store its blinded form.
    func institutionKey(_ institution: String) -> String { cipher?.blind(institution) ?? institution }

    /// The data key of `participant`, from the cache or the `keys` database; `nil` if the
    /// participant was forgotten (the key destroyed) or has none yet.
    func dataKey(of participant: String, _ txn: borrowing Transaction) throws -> SymmetricKey? {
        try dataKey(of: participant, txn, unwrapper: nil)
    }

    /// `dataKey(of:_:)`, unwrapping through `unwrapper` (a decryptor kept for unwrapping by a
    /// reader that looks up many keys).
    func dataKey(of participant: String, _ txn: borrowing Transaction, unwrapper: GroupDecryptor?) throws -> SymmetricKey? {
        let cipher = try contentCipher()
        guard let cipher, let keys else { return nil }
        if let key = cipher.cachedKey(participant) { return key }
        let key: SymmetricKey? = try Array(participant.utf8).withUnsafeBytes { k in
            try txn.withValue(keys, key: k) { v in
                guard let v, v.count > 0 else { return nil }
                return try cipher.unwrap(v, participant: participant, with: unwrapper)
            }
        }
        if let key { cipher.cache(key, for: participant) }
        return key
    }

    /// True if `participant`'s data key was destroyed by `journey forget`.
    func isForgotten(_ participant: String, _ txn: borrowing Transaction) throws -> Bool {
        guard let keys else { return false }
        let value = try txn.value(keys, key: Array(participant.utf8))
        return value?.isEmpty == true
    }

    /// The record at `seq` decoded, its content decrypted; `nil` if its header is not one this
    /// version writes. (Scans use one `RecordOpener` for all their records.)
    func storedEvent(seq: UInt64, _ record: UnsafeRawBufferPointer, _ txn: borrowing Transaction) throws -> StoredEvent? {
        var opener = RecordOpener(store: self)
        return try opener.storedEvent(seq: seq, record, txn)
    }
}
