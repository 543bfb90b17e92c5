import Crypto
import Foundation
import JourneyModel

/// What sealing a batch needs besides the batch: the store's keys, the import's `appended` time
/// and the 4 random bytes of its nonces.
struct GroupSealing: Sendable {
    let cipher: StoreCipher
    let appendedMicros: Int64
    let nonceSalt: UInt32
    /// A participant whose events are sealed under the store key (the one `forget` appends).
    var storeSealed: String?
}

extension PendingBatch {
    /// Seals the batch's events (their JSON in `plain`) in groups - one participant's events,
    /// up to `SealedRecord.maxGroupEvents` and `maxGroupBytes` per group; events of no
    /// participant under the store key - and builds every record in seq order, chaining the
    /// hashes from `previousHash`. Returns the hash of the batch's last record. Participants'
    /// data keys come from the cipher's cache, where the importer put them.
    mutating func sealGroups(_ sealing: GroupSealing, previousHash: [UInt8]) throws -> [UInt8] {
        let n = plainEnds.count
        func start(_ i: Int) -> Int { i == 0 ? 0 : plainEnds[i - 1] }

        // Assign each event to a group and an offset in it, walking each participant's events
        // (the batch lists them per participant already), then the events of no participant.
        var groupOf = [Int32](repeating: 0, count: n)
        var offsetOf = [Int32](repeating: 0, count: n)
        var groupFirst: [Int] = []
        var groupBytes: [Int] = []
        func assign<S: Sequence>(_ events: S) where S.Element == Int {
            var count = 0
            for i in events {
                let length = plainEnds[i] - start(i)
                if let g = groupFirst.indices.last, count > 0, count < SealedRecord.maxGroupEvents,
                   groupBytes[g] + length <= SealedRecord.maxGroupBytes {
                    groupOf[i] = Int32(g)
                    offsetOf[i] = Int32(groupBytes[g])
                    groupBytes[g] += length
                    count += 1
                } else {
                    groupOf[i] = Int32(groupFirst.count)
                    groupFirst.append(i)
                    groupBytes.append(length)
                    count = 1
                }
            }
        }
        let first = firstSeq
        for seqs in seqsOfParticipant { assign(seqs.lazy.map { Int($0 - first) }) }
        assign((0..<n).filter { participant(at: $0) == nil })

        // Lay the plaintext out group by group, then seal each group's span with one call.
        var groupStart = [Int](repeating: 0, count: groupFirst.count)
        var total = 0
        for g in groupFirst.indices {
            groupStart[g] = total
            total += groupBytes[g]
        }
        var grouped = [UInt8](repeating: 0, count: total)
        grouped.withUnsafeMutableBytes { dst in
            plain.withUnsafeBytes { src in
                for i in 0..<n {
                    let from = start(i)
                    let at = groupStart[Int(groupOf[i])] + Int(offsetOf[i])
                    (dst.baseAddress! + at).copyMemory(from: src.baseAddress! + from, byteCount: plainEnds[i] - from)
                }
            }
        }
        let lengths = (0..<n).map { plainEnds[$0] - start($0) }
        plain = []  // everything is in `grouped` now
        plainEnds = []
        var sealed: [[UInt8]] = []
        sealed.reserveCapacity(groupFirst.count)
        let encryptor = try GroupEncryptor()
        try grouped.withUnsafeBytes { all in
            for g in groupFirst.indices {
                let participant = participant(at: groupFirst[g])
                let storeSealed = participant == nil || participant == sealing.storeSealed
                let key = try storeSealed ? sealing.cipher.storeKey : participant.map { p in
                    guard let key = sealing.cipher.cachedKey(p) else { throw StoreError("no data key for participant \"\(p)\" in this import") }
                    return key
                } ?? sealing.cipher.storeKey
                sealed.append(try SealedRecord.sealGroup(
                    UnsafeRawBufferPointer(rebasing: all[groupStart[g]..<(groupStart[g] + groupBytes[g])]),
                    groupSeq: firstSeq + UInt64(groupFirst[g]), slot: storeSealed ? .store : .participant,
                    participant: participant, key: key, nonceSalt: sealing.nonceSalt, with: encryptor))
            }
        }

        // The records, in seq order, hash-chained.
        records.removeAll(keepingCapacity: true)
        grouped = []
        records.reserveCapacity(total + n * 96 + groupFirst.count * 28)
        recordEnds.removeAll(keepingCapacity: true)
        var hash = previousHash
        try idBytes.withUnsafeBytes { ids in
            for i in 0..<n {
                let id = UnsafeRawBufferPointer(rebasing: ids[(i == 0 ? 0 : idEnds[i - 1])..<idEnds[i]])
                guard id.count <= 255 else { throw StoreError("id of \(id.count) bytes") }
                let participant = participant(at: i)
                let g = Int(groupOf[i])
                SealedRecord.appendRecord(
                    seq: firstSeq + UInt64(i), type: types[i], appendedMicros: sealing.appendedMicros,
                    slot: participant == nil || participant == sealing.storeSealed ? .store : .participant, id: id, participant: participant,
                    groupSeq: firstSeq + UInt64(groupFirst[g]), offset: Int(offsetOf[i]), length: lengths[i],
                    sealed: groupFirst[g] == i ? sealed[g] : nil, chaining: &hash, into: &records)
                recordEnds.append(records.count)
            }
        }
        return hash
    }
}
