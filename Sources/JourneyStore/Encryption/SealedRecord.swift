import Crypto
import Foundation
import JourneyModel

/// Event records of an encrypted store (record version 2, see `Schemas/STORAGE.md`).
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
/// ..  12 nonce: seq (8, big-endian) || 4 random bytes chosen per import
/// ..  n  AES-256-GCM ciphertext of the compact JSON of a version 1 record
/// ..  16 tag
/// ```
///
/// The additional authenticated data is `seq (8, BE) || record[0..<16] || record[48..<nonce]`:
/// a record moved to another position, or with another type, id or participant, does not open.
package enum SealedRecord {
    package static let version: UInt8 = 2

    /// Which key sealed a record.
    package enum KeySlot: UInt8, Sendable {
        /// The participant's data key (destroyed by `journey forget`).
        case participant = 1
        /// The store key (events of no participant, and the records `journey forget` appends).
        case store = 2
    }

    /// Where the parts of a sealed record are.
    package struct Layout {
        package let slot: KeySlot
        package let id: Range<Int>
        package let participant: Range<Int>?
        package let nonce: Int

        package init?(_ bytes: UnsafeRawBufferPointer) {
            let h = StorageLayout.headerSize
            guard bytes.count > h + 2, bytes[0] == SealedRecord.version, let slot = KeySlot(rawValue: bytes[2]) else { return nil }
            let idLength = Int(bytes[h])
            let idStart = h + 1
            let participantAt = idStart + idLength
            guard idLength > 0, participantAt < bytes.count else { return nil }
            let participantLength = Int(bytes[participantAt])
            let nonce = participantAt + 1 + participantLength
            guard nonce + 12 + 16 <= bytes.count else { return nil }
            self.slot = slot
            id = idStart..<participantAt
            participant = participantLength == 0 ? nil : (participantAt + 1)..<nonce
            self.nonce = nonce
        }
    }

    /// Builds a sealed record at the end of `out` and returns its chained hash.
    package static func append(
        seq: UInt64, type: EventType, appendedMicros: Int64, slot: KeySlot, id: UnsafeRawBufferPointer,
        participant: String?, json: UnsafeRawBufferPointer, key: SymmetricKey, nonceSalt: UInt32,
        previousHash: [UInt8], into out: inout [UInt8], scratch: inout [UInt8]
    ) throws -> [UInt8] {
        let start = out.count
        out.append(version)
        out.append(type.rawValue)
        out.append(slot.rawValue)
        out.append(contentsOf: repeatElement(0, count: 5))
        StorageLayout.appendUInt64(UInt64(bitPattern: appendedMicros), to: &out)
        let hashAt = out.count
        out.append(contentsOf: repeatElement(0, count: StorageLayout.hashSize))
        out.append(UInt8(id.count))
        out.append(contentsOf: id)
        if let participant {
            out.append(UInt8(participant.utf8.count))
            out.append(contentsOf: participant.utf8)
        } else {
            out.append(0)
        }
        var nonceBytes: [UInt8] = []
        nonceBytes.reserveCapacity(12)
        StorageLayout.appendUInt64(seq, to: &nonceBytes)
        withUnsafeBytes(of: nonceSalt.bigEndian) { nonceBytes.append(contentsOf: $0) }
        out.withUnsafeBytes { all in
            additionalData(seq: seq, record: UnsafeRawBufferPointer(rebasing: all[start...]), nonce: out.count - start, into: &scratch)
        }
        let box = try AES.GCM.seal(json, using: key, nonce: try AES.GCM.Nonce(data: nonceBytes), authenticating: scratch)
        out.append(contentsOf: nonceBytes)
        out.append(contentsOf: box.ciphertext)
        out.append(contentsOf: box.tag)
        let hash = out.withUnsafeBytes { all in
            HashChain.hash(previous: previousHash, seq: seq, record: UnsafeRawBufferPointer(rebasing: all[start...]), scratch: &scratch)
        }
        out.withUnsafeMutableBytes { dst in
            for i in 0..<StorageLayout.hashSize { dst[hashAt + i] = hash[i] }
        }
        return hash
    }

    /// The compact JSON sealed in `record` (at log position `seq`) under `key`.
    package static func open(_ record: UnsafeRawBufferPointer, layout: Layout, seq: UInt64, key: SymmetricKey) throws -> Data {
        var aad: [UInt8] = []
        additionalData(seq: seq, record: record, nonce: layout.nonce, into: &aad)
        let tagAt = record.count - 16
        do {
            let box = try AES.GCM.SealedBox(
                nonce: try AES.GCM.Nonce(data: UnsafeRawBufferPointer(rebasing: record[layout.nonce..<(layout.nonce + 12)])),
                ciphertext: UnsafeRawBufferPointer(rebasing: record[(layout.nonce + 12)..<tagAt]),
                tag: UnsafeRawBufferPointer(rebasing: record[tagAt...]))
            return try AES.GCM.open(box, using: key, authenticating: aad)
        } catch {
            throw StoreError("record \(seq) does not decrypt: it was altered, or sealed under another key (run journey verify)")
        }
    }

    private static func additionalData(seq: UInt64, record: UnsafeRawBufferPointer, nonce: Int, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        StorageLayout.appendUInt64(seq, to: &out)
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: record[0..<StorageLayout.hashOffset]))
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: record[StorageLayout.headerSize..<nonce]))
    }
}
