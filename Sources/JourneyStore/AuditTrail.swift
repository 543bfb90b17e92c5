import Crypto
import Foundation
import JourneyModel
import LMDB

/// One entry of the store's audit trail: who did what, when, at which log position.
public struct AuditEntry: Codable, Sendable, Equatable {
    /// Position in the trail: 1, 2, 3, ... without gaps.
    public let seq: UInt64
    /// When, RFC 3339 UTC.
    public let at: String
    /// Who: `--by`, else `$JOURNEY_USER`, else the operating-system user.
    public let by: String
    /// import, import-esm, export, dump, dump-check, report, demo.
    public let action: String
    /// The log's head when the action ended.
    public let logHead: UInt64
    /// What exactly: files, filters, counts, outcome.
    public let detail: [String: String]
    /// SHA-256 over the previous entry's hash and this entry without its hash (hex).
    public let hash: String
}

/// An audit entry to be written: what, by whom, with which details.
public struct AuditRequest: Sendable, Equatable {
    /// import, import-esm, forget, cluster, init, export, dump, dump-check, report, demo.
    public var action: String
    /// Who is acting.
    public var by: String
    /// What exactly: files, filters, counts, outcome.
    public var detail: [String: String]

    /// An entry for `action` by `by` (default: `currentUser`).
    public init(action: String, by: String = AuditRequest.currentUser, detail: [String: String] = [:]) {
        self.action = action
        self.by = by
        self.detail = detail
    }

    /// Who runs this process: `$JOURNEY_USER`, else the login name, else the uid.
    public static var currentUser: String {
        if let user = ProcessInfo.processInfo.environment["JOURNEY_USER"], !user.isEmpty { return user }
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return "uid \(getuid())"
    }
}

/// The audit trail: an append-only, hash-chained record in the store's `audit` database of every
/// import, export, dump and report - so every change and every data release can be traced.
/// Layout: key = `seq` (8 bytes big-endian), value = the entry as key-sorted JSON.
extension EventStore {
    /// Appends an entry in a transaction of its own and returns it: for actions that write
    /// nothing else (reads that hand data out, imports that appended nothing). Writes record
    /// their entry in the transaction of the write instead (`ImportOptions.audit`, `forget`).
    @discardableResult
    public func recordAudit(action: String, by: String, detail: [String: String]) throws -> AuditEntry {
        try recordAudit(AuditRequest(action: action, by: by, detail: detail))
    }

    /// Appends `request` in a transaction of its own and returns the entry.
    @discardableResult
    public func recordAudit(_ request: AuditRequest) throws -> AuditEntry {
        let metaDB = meta
        return try env.write { txn in
            try appendAudit(request, logHead: try EventStore.head(txn, metaDB).seq, txn)
        }
    }

    /// Appends `request` inside `txn`, the transaction of the write it records, so the two
    /// commit together or not at all; `logHead` is the head that transaction leaves.
    @discardableResult
    func appendAudit(_ request: AuditRequest, logHead: UInt64, _ txn: borrowing Transaction) throws -> AuditEntry {
        guard let audit else { throw StoreError("\(directory): opened read-only; cannot record the audit trail") }
        return try Self.appendAudit(request, logHead: logHead, to: audit, txn)
    }

    /// Appends `request` to the trail in `audit` inside `txn`.
    @discardableResult
    static func appendAudit(_ request: AuditRequest, logHead: UInt64, to audit: Database, _ txn: borrowing Transaction) throws -> AuditEntry {
        var seq: UInt64 = 1
        var previous = Hex.encode(LogHead.emptyHash)
        try txn.withCursor(audit) { cursor in
            if let (_, value) = try cursor.get(.last) {
                let last = try JSONDecoder().decode(AuditEntry.self, from: Data(value))
                seq = last.seq + 1
                previous = last.hash
            }
        }
        let at = ISO8601DateFormatter.audit.string(from: Date())
        var detail = request.detail
        if detail["software"] == nil { detail["software"] = SoftwareVersion.description }
        let (by, action) = (request.by, request.action)
        let hash = try AuditEntry.chainHash(previous: previous, seq: seq, at: at, by: by, action: action, logHead: logHead, detail: detail)
        let entry = AuditEntry(seq: seq, at: at, by: by, action: action, logHead: logHead, detail: detail, hash: hash)
        try txn.put(audit, key: StorageLayout.seqKey(seq), value: Array(try AuditEntry.encoder.encode(entry)))
        return entry
    }

    /// Every entry, oldest first.
    public func auditEntries() throws -> [AuditEntry] {
        guard let audit else { return [] }
        return try env.read { txn in
            var entries: [AuditEntry] = []
            try txn.withCursor(audit) { cursor in
                var entry = try cursor.get(.first)
                while let (_, value) = entry {
                    entries.append(try JSONDecoder().decode(AuditEntry.self, from: Data(value)))
                    entry = try cursor.get(.next)
                }
            }
            return entries
        }
    }

    /// Recomputes the trail's chain: the number of entries, and the first bad one with what is wrong.
    public func verifyAudit() throws -> (entries: Int, problem: (seq: UInt64, message: String)?) {
        let entries: [AuditEntry]
        do {
            entries = try auditEntries()
        } catch is DecodingError {
            return (0, (0, "an audit entry is not readable"))
        }
        var previous = Hex.encode(LogHead.emptyHash)
        for (i, e) in entries.enumerated() {
            guard e.seq == UInt64(i + 1) else { return (entries.count, (e.seq, "audit entry \(i + 1) is missing")) }
            let expected = try AuditEntry.chainHash(previous: previous, seq: e.seq, at: e.at, by: e.by, action: e.action, logHead: e.logHead, detail: e.detail)
            guard expected == e.hash else { return (entries.count, (e.seq, "audit entry \(e.seq) was altered (its hash does not match)")) }
            previous = e.hash
        }
        return (entries.count, nil)
    }
}

extension AuditEntry {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The entry's fields without its hash, as hashed.
    private struct Unhashed: Encodable {
        let seq: UInt64, at: String, by: String, action: String, logHead: UInt64, detail: [String: String]
    }

    static func chainHash(
        previous: String, seq: UInt64, at: String, by: String, action: String, logHead: UInt64, detail: [String: String]
    ) throws -> String {
        var hasher = SHA256()
        hasher.update(data: Data(previous.utf8))
        hasher.update(data: try encoder.encode(Unhashed(seq: seq, at: at, by: by, action: action, logHead: logHead, detail: detail)))
        return Hex.encode(hasher.finalize().withUnsafeBytes { Array($0) })
    }
}

extension ISO8601DateFormatter {
    /// RFC 3339 UTC with fractional seconds.
    static var audit: ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }
}
