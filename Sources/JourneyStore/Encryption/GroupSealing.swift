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

    /// Which key seals the events of `participant`: the store key for events of no participant
    /// and for `storeSealed`, else the participant's.
    func slot(of participant: String?) -> SealedRecord.KeySlot {
        participant == nil || participant == storeSealed ? .store : .participant
    }
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
        // Events in the order they were assigned: each group's are consecutive here, from
        // `memberStart[g]`, in the order of their offsets.
        var members: [Int32] = []
        members.reserveCapacity(n)
        var memberStart: [Int] = []
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
                    memberStart.append(members.count)
                    groupBytes.append(length)
                    count = 1
                }
                members.append(Int32(i))
            }
        }
        let first = firstSeq
        for seqs in seqsOfParticipant { assign(seqs.lazy.map { Int($0 - first) }) }
        assign((0..<n).filter { participant(at: $0) == nil })

        // Each group's plaintext gathered into one small buffer and sealed with one call (no
        // copy of the whole batch laid out by group).
        memberStart.append(members.count)
        let total = groupBytes.reduce(0, +)
        let lengths = (0..<n).map { plainEnds[$0] - start($0) }
        var sealed: [[UInt8]] = []
        sealed.reserveCapacity(groupFirst.count)
        let encryptor = try GroupEncryptor()
        var gathered: [UInt8] = []
        gathered.reserveCapacity(2 * SealedRecord.maxGroupBytes)
        try plain.withUnsafeBytes { src in
            for g in groupFirst.indices {
                gathered.removeAll(keepingCapacity: true)
                for i in members[memberStart[g]..<memberStart[g + 1]] {
                    let from = start(Int(i))
                    gathered.append(contentsOf: UnsafeRawBufferPointer(rebasing: src[from..<plainEnds[Int(i)]]))
                }
                let participant = participant(at: groupFirst[g])
                let slot = sealing.slot(of: participant)
                let key: SymmetricKey
                if slot == .participant, let p = participant {
                    guard let cached = sealing.cipher.cachedKey(p) else { throw StoreError("no data key for participant \"\(p)\" in this import") }
                    key = cached
                } else {
                    key = sealing.cipher.storeKey
                }
                sealed.append(try gathered.withUnsafeBytes { group in
                    try SealedRecord.sealGroup(
                        group, groupSeq: firstSeq + UInt64(groupFirst[g]), slot: slot,
                        participant: participant, key: key, nonceSalt: sealing.nonceSalt, with: encryptor)
                })
            }
        }
        // The plaintext is sealed; its buffer serves the next batch (`BatchRecycler`).
        plain.removeAll(keepingCapacity: true)
        plainEnds.removeAll(keepingCapacity: true)

        // The records, in seq order, hash-chained.
        records.removeAll(keepingCapacity: true)
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
                    slot: sealing.slot(of: participant), id: id, participant: participant,
                    groupSeq: firstSeq + UInt64(groupFirst[g]), offset: Int(offsetOf[i]), length: lengths[i],
                    sealed: groupFirst[g] == i ? sealed[g] : nil, chaining: &hash, into: &records)
                recordEnds.append(records.count)
            }
        }
        return hash
    }
}
