import Foundation
import GRDB
import JourneyModel
import JourneyStore

/// The peer the event store is measured against: the same parsing, compaction and hash chain,
/// stored in SQLite instead (unique id index, (participant, seq) index, WAL,
/// synchronous=NORMAL, 10,000 rows per transaction, one prepared statement).
public enum SQLitePeer {
    /// Imports `file` into a new SQLite database at `path`; returns events stored.
    public static func importFile(_ file: String, into path: String) throws -> Int {
        var config = Configuration()
        config.journalMode = .wal
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        let queue = try DatabaseQueue(path: path, configuration: config)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, participant TEXT, type INTEGER NOT NULL, record BLOB NOT NULL);
                CREATE UNIQUE INDEX events_id ON events(id);
                CREATE INDEX events_participant ON events(participant, seq);
                """)
        }
        var pipeline = EventPipeline()
        var seq: Int64 = 0
        var pending: [(Int64, String, String?, Int, [UInt8])] = []
        pending.reserveCapacity(10_000)
        func flush() throws {
            let rows = pending
            try queue.inTransaction { db in
                let statement = try db.cachedStatement(sql: "INSERT INTO events (seq, id, participant, type, record) VALUES (?, ?, ?, ?, ?)")
                for row in rows {
                    try statement.execute(arguments: [row.0, row.1, row.2, row.3, Data(row.4)])
                }
                return .commit
            }
            pending.removeAll(keepingCapacity: true)
        }
        try EventPipeline.forEachLine(of: file) { line, number in
            guard let (event, record) = try pipeline.process(line, seq: UInt64(seq + 1), number: number) else { return }
            seq += 1
            pending.append((seq, event.id, event.participant, Int(event.type.rawValue), record))
            if pending.count == 10_000 { try flush() }
        }
        if !pending.isEmpty { try flush() }
        return Int(seq)
    }

    /// Reads one participant's events (as the store's read benchmark does).
    public static func participantEvents(_ queue: DatabaseQueue, _ participant: String) throws -> Int {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT record FROM events WHERE participant = ? ORDER BY seq", arguments: [participant]).count
        }
    }
}
