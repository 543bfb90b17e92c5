import JourneyModel
import LMDB

/// A summary of a store, for `journey info`.
public struct StoreInfo: Sendable {
    /// Committed events.
    public let events: UInt64
    /// Distinct participants.
    public let participants: Int
    /// Distinct institutions named or coded.
    public let institutions: Int
    /// The committed head.
    public let head: LogHead
    /// Bytes of the store's files on disk.
    public let sizeOnDisk: Int
    /// Bytes of the map in use (pages touched).
    public let usedBytes: Int
    /// The storage format.
    public let format: String
    /// `none`, or how event content is sealed.
    public let encryption: String
    /// Participants removed by `journey forget`.
    public let forgottenParticipants: Int
    /// The id and participant indexes' generations (`Schemas/STORAGE.md`): events each covers,
    /// oldest first.
    public let indexGenerations: [UInt64]
    /// The seq up to which `journey cluster` copied each participant's records together (0: no copy).
    public let clusteredUpto: UInt64
}

extension EventStore {
    /// Counts and sizes of the store as committed now.
    public func info() throws -> StoreInfo {
        let (participants, institutions, head, generations, clustered) = try read { s in
            (try s.participantCount(), try s.institutionCount(), s.head, try s.generations(), try s.clusteredUpto())
        }
        let map = try env.info()
        var forgotten = 0
        if let keys {
            forgotten = try env.read { txn in
                try txn.withCursor(keys) { cursor in
                    var n = 0
                    var entry = try cursor.get(.first)
                    while let (_, v) = entry {
                        if v.isEmpty { n += 1 }
                        entry = try cursor.get(.next)
                    }
                    return n
                }
            }
        }
        let encryption = !isEncrypted ? "none"
            : "AES-256-GCM, a data key per participant\(cipher == nil ? " (content locked: no key given)" : "")"
        return StoreInfo(
            events: head.seq, participants: participants, institutions: institutions, head: head,
            sizeOnDisk: sizeOnDisk(), usedBytes: (map.lastPage + 1) * map.pageSize, format: format,
            encryption: encryption, forgottenParticipants: forgotten,
            indexGenerations: generations.list.indices.map { generations.list[$0].lastSeq - generations.firstSeq(at: $0) + 1 },
            clusteredUpto: clustered)
    }
}
