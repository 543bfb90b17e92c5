import JourneyModel
import JourneyStore
import LMDB

/// The log and the projection state as of one log position, inside one read snapshot: events
/// after `upto` and retractions made after `upto` do not exist here.
public struct ProjectionView: ~Copyable {
    let state: ProjectionState
    let snapshot: StoreSnapshot
    /// The log position this view reflects.
    public let upto: UInt64
    /// Retracted seq -> retracting seq, for retractions made by `upto` (read once: retractions
    /// are few next to events).
    private let retracted: [UInt64: UInt64]
    /// Decodes the stored events this view reads (one view belongs to one thread).
    private let decoder = StoredEventDecoder()

    init(state: ProjectionState, snapshot: borrowing StoreSnapshot, upto: UInt64) throws {
        self.state = state
        self.snapshot = StoreSnapshot(store: snapshot.store, txn: snapshot.txn, head: snapshot.head)
        self.upto = upto
        var retracted: [UInt64: UInt64] = [:]
        try snapshot.txn.withCursor(state.retractions) { cursor in
            var entry = try cursor.get(.first)
            while let (k, v) = entry {
                let by = StorageLayout.readUInt64(v)
                if by <= upto { retracted[StorageLayout.readUInt64(k)] = by }
                entry = try cursor.get(.next)
            }
        }
        self.retracted = retracted
    }

    /// The seq of the retraction of event `seq`, if it was retracted by `upto`.
    public func retraction(of seq: UInt64) -> UInt64? { retracted[seq] }

    /// Every participant with an event at or before `upto`, in byte order.
    public func participants() throws -> [String] { try snapshot.participants(upto: upto) }

    /// True if `participant` has an event at or before `upto` (a seek, not a scan).
    public func hasParticipant(_ participant: String) throws -> Bool { try snapshot.hasParticipant(participant, upto: upto) }

    /// One participant's non-retracted events (retractions themselves left out), by time.
    /// Events of a participant removed by `journey forget` cannot be read and are left out.
    public func journey(of participant: String) throws -> [LoggedEvent] {
        let snapshotSeqs = try snapshot.seqs(ofParticipant: participant, upto: upto)
        var out: [LoggedEvent] = []
        out.reserveCapacity(snapshotSeqs.count)
        var opener = RecordOpener(store: snapshot.store)
        for seq in snapshotSeqs {
            guard retraction(of: seq) == nil else { continue }
            // The object is made where the event is decoded: handing the event out through the
            // closures copied it at every level.
            let logged: LoggedEvent? = try StorageLayout.withSeqKey(seq) { k in
                try snapshot.txn.withValue(snapshot.store.events, key: k) { v -> LoggedEvent? in
                    guard let v, v.count > StorageLayout.headerSize else {
                        throw StoreError("record \(seq) is missing (run journey verify)")
                    }
                    if v[1] == EventType.eventRetracted.rawValue { return nil }
                    // A forgotten participant's content is gone: only what `forget` appended shows.
                    return try opener.withJSON(seq: seq, v, snapshot.txn) { json in
                        try json.map { LoggedEvent(seq: seq, event: try decoder.decode(seq: seq, type: v[1], $0)) }
                    }
                }
            }
            if let logged { out.append(logged) }
        }
        return LoggedEvent.sortedByTime(out)
    }

    /// Every institution's current coding as of `upto`: its latest (by time) non-retracted
    /// `institution.coded` event.
    public func codings() throws -> InstitutionDirectory {
        var latest: [String: LoggedEvent] = [:]
        var opener = RecordOpener(store: snapshot.store)
        try snapshot.txn.withCursor(state.codings) { cursor in
            var entry = try cursor.get(.first)
            while let (k, _) = entry {
                let seq = StorageLayout.readUInt64(k, at: k.count - 8)
                // The key's name part is the index key (blinded in an encrypted store); the
                // coding's own id names the institution.
                let institution = String(decoding: k[0..<(k.count - 9)], as: UTF8.self)
                entry = try cursor.get(.next)
                guard seq <= upto, retraction(of: seq) == nil else { continue }
                let event: Event = try StorageLayout.withSeqKey(seq) { key in
                    try snapshot.txn.withValue(snapshot.store.events, key: key) { v in
                        guard let v, v.count > StorageLayout.headerSize else { throw StoreError("record \(seq) is missing (run journey verify)") }
                        return try opener.withJSON(seq: seq, v, snapshot.txn) { json in
                            guard let json else { throw StoreError("record \(seq), an institution coding, cannot be read") }
                            return try decoder.decode(seq: seq, type: v[1], json)
                        }
                    }
                }
                let candidate = LoggedEvent(seq: seq, event: event)
                if let current = latest[institution], !LoggedEvent.byTime(current, candidate) { continue }
                latest[institution] = candidate
            }
        }
        var directory = InstitutionDirectory()
        for logged in latest.values {
            if case .institutionCoded(let c) = logged.event.payload { directory.codings[c.institution] = c }
        }
        return directory
    }
}
