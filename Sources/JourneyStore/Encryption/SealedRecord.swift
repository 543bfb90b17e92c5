import Crypto
import Foundation
import JourneyModel

/// Event records of an encrypted store (record version 2, see `Schemas/STORAGE.md`).
///
/// Content is sealed in **groups**: consecutive events of one participant that one import writes
/// in one batch (at most `maxGroupEvents` of them, `maxGroupBytes` of JSON), sealed together with one
/// AES-256-GCM call under that participant's data key - events of no participant likewise under
/// the store key. Each call costs microseconds of fixed overhead in swift-crypto, whatever its
/// size, so sealing a participant's events together instead of one by one is what keeps
/// encryption cheap. Every event keeps a record of its own:
///
/// ```
/// 0   1  record version: 2
/// 1   1  event type code
/// 2   1  key slot: 1 = the participant's data key, 2 = the store key
/// 3   5  reserved, zero
/// 8   8  appended
/// 16  32 hash (the chain covers the sealed bytes, so verify needs no key)
/// 48  1  id length i, then i bytes: the event id
/// ..  1  participant length p (0: none), then p bytes: the pseudonym
/// ..  8  group: the seq of the group's first event (big-endian)
/// ..  4  offset of this event's JSON in the group's plaintext (big-endian)
/// ..  4  length of this event's JSON
/// ..     in the group's first record only: nonce (12) || ciphertext || tag (16) of the group's
///        plaintext, its events' compact JSON concatenated in seq order
/// ```
///
/// The nonce is the group's seq (8, big-endian) followed by 4 random bytes chosen per import;
/// the additional authenticated data is `"journeystore/group" || 0x00 || group seq (8, BE) ||
/// key slot (1) || pseudonym`, so a group moved to another position or participant does not open.
enum SealedRecord {
    static let version: UInt8 = 2
    /// At most this many events in one group.
    static let maxGroupEvents = 256
    /// At most this many bytes of JSON in one group (unless one event alone is larger). It keeps
    /// a group's first record within what LMDB stores inside a 4 KiB page (about 2,000 bytes with
    /// its key): a larger value goes to overflow pages of its own, whole pages each, which made
    /// the store 7% larger and its reads slower.
    static let maxGroupBytes = 1_800

    /// Which key sealed a record.
    enum KeySlot: UInt8, Sendable {
        /// The participant's data key (destroyed by `journey forget`).
        case participant = 1
        /// The store key (events of no participant, and the records `journey forget` appends).
        case store = 2
    }

    /// Where the parts of a sealed record are.
    struct Layout {
        let slot: KeySlot
        let id: Range<Int>
        let participant: Range<Int>?
        /// The seq of the group's first record, which holds the sealed bytes.
        let groupSeq: UInt64
        /// This event's JSON in the group's plaintext.
        let offset: Int
        let length: Int
        /// `nonce || ciphertext || tag` (the group's first record only).
        let sealed: Range<Int>?

        /// Parses the record at `seq`; `nil` if it is not a well-formed version 2 record.
        init?(_ bytes: UnsafeRawBufferPointer, seq: UInt64) {
            let h = StorageLayout.headerSize
            guard bytes.count > h + 2, bytes[0] == SealedRecord.version, let slot = KeySlot(rawValue: bytes[2]) else { return nil }
            let idLength = Int(bytes[h])
            let participantAt = h + 1 + idLength
            guard idLength > 0, participantAt < bytes.count else { return nil }
            let participantLength = Int(bytes[participantAt])
            let reference = participantAt + 1 + participantLength
            guard reference + 16 <= bytes.count else { return nil }
            let groupSeq = StorageLayout.readUInt64(bytes, at: reference)
            let offset = Int(StorageLayout.readUInt32(bytes, at: reference + 8))
            let length = Int(StorageLayout.readUInt32(bytes, at: reference + 12))
            let end = reference + 16
            if groupSeq == seq {
                guard end + 12 + 16 + offset + length <= bytes.count else { return nil }
                sealed = end..<bytes.count
            } else {
                guard groupSeq < seq, groupSeq > 0, end == bytes.count else { return nil }
                sealed = nil
            }
            self.slot = slot
            id = (h + 1)..<participantAt
            participant = participantLength == 0 ? nil : (participantAt + 1)..<reference
            self.groupSeq = groupSeq
            self.offset = offset
            self.length = length
        }
    }

    /// Seals a group's plaintext: `nonce || ciphertext || tag`.
    static func sealGroup(
        _ plain: UnsafeRawBufferPointer, groupSeq: UInt64, slot: KeySlot, participant: String?, key: SymmetricKey, nonceSalt: UInt32,
        with encryptor: GroupEncryptor
    ) throws -> [UInt8] {
        var nonce = (groupSeq.bigEndian, nonceSalt.bigEndian)
        var participantBytes = participant ?? ""
        return try participantBytes.withUTF8 { p in
            try withAdditionalData(groupSeq: groupSeq, slot: slot, participant: UnsafeRawBufferPointer(p)) { aad in
                try withUnsafeBytes(of: &nonce) { nonceBytes in
                    try encryptor.seal(plain, using: key, nonce: UnsafeRawBufferPointer(rebasing: nonceBytes[0..<12]), authenticating: aad)
                }
            }
        }
    }

    /// Opens the group whose first record is `head` (at `groupSeq`) into `plain`.
    static func openGroup(_ head: UnsafeRawBufferPointer, layout: Layout, key: SymmetricKey, with decryptor: GroupDecryptor,
                          into plain: inout [UInt8]) throws {
        guard let sealed = layout.sealed else { throw StoreError("record \(layout.groupSeq) does not start a sealed group (run journey verify)") }
        let participant = layout.participant.map { UnsafeRawBufferPointer(rebasing: head[$0]) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
        do {
            try withAdditionalData(groupSeq: layout.groupSeq, slot: layout.slot, participant: participant) { aad in
                try decryptor.open(UnsafeRawBufferPointer(rebasing: head[sealed]), using: key, authenticating: aad, into: &plain)
            }
        } catch {
            throw StoreError("record \(layout.groupSeq) does not decrypt: it was altered, or sealed under another key (run journey verify)")
        }
    }

    /// The first bytes of every group's additional data: "journeystore/group" and a zero byte.
    private static let groupContext = Array("journeystore/group\u{0}".utf8)

    /// Calls `body` with a group's additional data - context, group seq (8 bytes, BE), slot,
    /// participant - assembled on the stack (no array per group).
    private static func withAdditionalData<R>(
        groupSeq: UInt64, slot: KeySlot, participant: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> R
    ) rethrows -> R {
        let context = groupContext.count
        return try withUnsafeTemporaryAllocation(byteCount: context + 9 + participant.count, alignment: 1) { aad in
            groupContext.withUnsafeBytes { aad.copyMemory(from: $0) }
            withUnsafeBytes(of: groupSeq.bigEndian) { (aad.baseAddress! + context).copyMemory(from: $0.baseAddress!, byteCount: 8) }
            aad[context + 8] = slot.rawValue
            if !participant.isEmpty { (aad.baseAddress! + context + 9).copyMemory(from: participant.baseAddress!, byteCount: participant.count) }
            return try body(UnsafeRawBufferPointer(aad))
        }
    }

    /// The fixed part of a record's header (version, type, slot, 5 zero bytes, appended time,
    /// hash) as zero bytes.
    private static let blankHeader = [UInt8](repeating: 0, count: 16 + StorageLayout.hashSize)

    /// Appends one record (with `sealed` if it starts its group), chaining from and into
    /// `previousHash` in place.
    static func appendRecord(
        seq: UInt64, type: EventType, appendedMicros: Int64, slot: KeySlot, id: UnsafeRawBufferPointer, participant: String?,
        groupSeq: UInt64, offset: Int, length: Int, sealed: [UInt8]?, chaining previousHash: inout [UInt8], into out: inout [UInt8]
    ) {
        let start = out.count
        // The fixed header from one blank copy, filled in place (an append per field, and two
        // of repeated zeros, cost about 500 instructions a record).
        out.append(contentsOf: blankHeader)
        out.withUnsafeMutableBytes { all in
            all[start] = version
            all[start + 1] = type.rawValue
            all[start + 2] = slot.rawValue
            withUnsafeBytes(of: UInt64(bitPattern: appendedMicros).bigEndian) { (all.baseAddress! + start + 8).copyMemory(from: $0.baseAddress!, byteCount: 8) }
        }
        out.append(UInt8(id.count))
        out.append(contentsOf: id)
        if let participant {
            out.append(UInt8(participant.utf8.count))
            out.append(contentsOf: participant.utf8)
        } else {
            out.append(0)
        }
        StorageLayout.appendUInt64(groupSeq, to: &out)
        StorageLayout.appendUInt32(UInt32(offset), to: &out)
        StorageLayout.appendUInt32(UInt32(length), to: &out)
        if let sealed { out.append(contentsOf: sealed) }
        HashChain.fill(&out, recordAt: start, chaining: &previousHash, seq: seq)
    }

    /// A record that is a group of its own (one event sealed alone), appended to `out`.
    static func appendSingle(
        seq: UInt64, type: EventType, appendedMicros: Int64, slot: KeySlot, id: UnsafeRawBufferPointer, participant: String?,
        json: UnsafeRawBufferPointer, key: SymmetricKey, nonceSalt: UInt32, previousHash: [UInt8], into out: inout [UInt8]
    ) throws -> [UInt8] {
        let sealed = try sealGroup(json, groupSeq: seq, slot: slot, participant: participant, key: key, nonceSalt: nonceSalt,
                                   with: try GroupEncryptor())
        var hash = previousHash
        appendRecord(seq: seq, type: type, appendedMicros: appendedMicros, slot: slot, id: id, participant: participant,
                     groupSeq: seq, offset: 0, length: json.count, sealed: sealed, chaining: &hash, into: &out)
        return hash
    }
}
