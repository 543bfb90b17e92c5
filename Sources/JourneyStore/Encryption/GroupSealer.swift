import Crypto
import Foundation
import JourneyModel

extension PendingBatch {
    /// Seals the batch's events (their JSON in `plain`) in groups - one participant's events,
    /// up to `SealedRecord.maxGroupEvents` and `maxGroupBytes` per group; events of no
    /// participant under the store key - and builds every record in seq order, chaining the
    /// hashes from `previousHash`. Returns the hash of the batch's last record.
    mutating func sealGroups(
        cipher: StoreCipher, dataKeys: [String: SymmetricKey], appendedMicros: Int64, nonceSalt: UInt32,
        previousHash: [UInt8], scratch: inout [UInt8]
    ) throws -> [UInt8] {
        let n = plainEnds.count
        func start(_ i: Int) -> Int { i == 0 ? 0 : plainEnds[i - 1] }
        // First pass: assign each event to a group and an offset in its plaintext.
        struct OpenGroup {
            var first: Int
            var count: Int
            var bytes: Int
        }
        var open: [String: OpenGroup] = [:]
        var groupOf = [Int](repeating: 0, count: n)
        var offsetOf = [Int](repeating: 0, count: n)
        var members: [Int: [Int]] = [:]
        for i in 0..<n {
            let owner = participantOf[i] ?? ""  // no pseudonym is empty: "" is the store key's group
            let length = plainEnds[i] - start(i)
            if var group = open[owner], group.count < SealedRecord.maxGroupEvents, group.bytes + length <= SealedRecord.maxGroupBytes {
                offsetOf[i] = group.bytes
                groupOf[i] = group.first
                group.count += 1
                group.bytes += length
                open[owner] = group
                members[group.first, default: []].append(i)
            } else {
                open[owner] = OpenGroup(first: i, count: 1, bytes: length)
                groupOf[i] = i
                members[i] = [i]
            }
        }
        // Second pass: seal each group's plaintext once.
        var sealed: [Int: Data] = [:]
        sealed.reserveCapacity(members.count)
        var buffer: [UInt8] = []
        try plain.withUnsafeBytes { all in
            for (first, list) in members {
                let participant = participantOf[first]
                let key = try participant.map { p in
                    guard let key = dataKeys[p] else { throw StoreError("no data key for participant \"\(p)\" in this import") }
                    return key
                } ?? cipher.storeKey
                let groupSeq = firstSeq + UInt64(first)
                let box: Data
                if list.count == 1 {
                    box = try SealedRecord.sealGroup(UnsafeRawBufferPointer(rebasing: all[start(first)..<plainEnds[first]]), groupSeq: groupSeq,
                                                     slot: participant == nil ? .store : .participant, participant: participant,
                                                     key: key, nonceSalt: nonceSalt)
                } else {
                    buffer.removeAll(keepingCapacity: true)
                    for i in list { buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: all[start(i)..<plainEnds[i]])) }
                    box = try buffer.withUnsafeBytes { bytes in
                        try SealedRecord.sealGroup(bytes, groupSeq: groupSeq, slot: participant == nil ? .store : .participant,
                                                   participant: participant, key: key, nonceSalt: nonceSalt)
                    }
                }
                sealed[first] = box
            }
        }
        // Third pass: the records, in seq order, hash-chained.
        records.removeAll(keepingCapacity: true)
        records.reserveCapacity(plain.count + n * 96 + sealed.count * 28)
        recordEnds.removeAll(keepingCapacity: true)
        var hash = previousHash
        try idBytes.withUnsafeBytes { ids in
            for i in 0..<n {
                let id = UnsafeRawBufferPointer(rebasing: ids[(i == 0 ? 0 : idEnds[i - 1])..<idEnds[i]])
                guard id.count <= 255 else { throw StoreError("id of \(id.count) bytes") }
                let participant = participantOf[i]
                hash = SealedRecord.appendRecord(
                    seq: firstSeq + UInt64(i), type: types[i], appendedMicros: appendedMicros,
                    slot: participant == nil ? .store : .participant, id: id, participant: participant,
                    groupSeq: firstSeq + UInt64(groupOf[i]), offset: offsetOf[i], length: plainEnds[i] - start(i),
                    sealed: groupOf[i] == i ? sealed[i] : nil, previousHash: hash, into: &records, scratch: &scratch)
                recordEnds.append(records.count)
            }
        }
        return hash
    }
}
