import JourneyModel
import LMDB

extension EventStore {
    /// Imports one JSON Lines file (`-` for standard input), all or nothing.
    ///
    /// Valid new events are appended with gapless seqs; duplicates (same id, same content) are
    /// skipped; any invalid or conflicting line rejects the whole file, leaving the log as it
    /// was, and is reported with its line number.
    public func importFile(_ path: String, options: ImportOptions = ImportOptions()) throws -> ImportReport {
        guard !isReadOnly else { throw StoreError("\(directory): opened read-only; cannot import") }
        let reader = try LineReader(path: path)
        let lock = try WriterLock(directory: directory, onWait: { options.onWait?() })
        defer { withExtendedLifetime(lock) {} }
        var run = try ImportRun(store: self, reader: reader, options: options)
        return try run.execute()
    }
}

/// The state of one file's import: the events staged so far and the checks against the log.
private struct ImportRun {
    let store: EventStore
    let reader: LineReader
    let options: ImportOptions
    var report: ImportReport
    let head: LogHead
    let appendedMicros: Int64
    var nextSeq: UInt64
    var previousHash: [UInt8]
    /// Line number of every event staged by this run, by `seq - head.seq - 1`.
    var stagedLines: [Int32] = []
    var knownInstitutions: Set<String> = []
    var batch: PendingBatch

    init(store: EventStore, reader: LineReader, options: ImportOptions) throws {
        self.store = store
        self.reader = reader
        self.options = options
        report = ImportReport(file: reader.name)
        report.discardedStaged = try store.discardStaged()
        head = try store.head()
        appendedMicros = max(Timestamp.nowMicros(), head.appendedMicros)
        nextSeq = head.seq + 1
        previousHash = head.hash
        batch = PendingBatch(firstSeq: head.seq + 1, expected: options.batchSize)
        let institutionsDB = store.institutions
        knownInstitutions = try store.env.read { txn in
            try txn.withCursor(institutionsDB) { cursor in
                var names: Set<String> = []
                var entry = try cursor.get(.first)
                while let (k, _) = entry {
                    names.insert(String(decoding: k, as: UTF8.self))
                    entry = try cursor.get(.next)
                }
                return names
            }
        }
    }

    mutating func execute() throws -> ImportReport {
        let stream = ParsedLineStream(reader: reader)
        defer { stream.cancel() }
        var finished = false
        var lastProgress = 0
        while !finished {
            try store.env.read { txn in
                while batch.count < options.batchSize {
                    guard let chunk = try stream.next() else { finished = true; return }
                    try chunk.bytes.withUnsafeBytes { bytes in
                        for i in chunk.lines.indices { try process(chunk.lines[i], bytes, txn) }
                    }
                    if let progress = options.progress, stream.progress.lines - lastProgress >= 50_000 {
                        lastProgress = stream.progress.lines
                        progress(stream.progress.lines, stream.progress.bytes)
                    }
                }
            }
            if !finished {
                try flush(commitHead: false)
            }
        }
        if report.errorCount > 0 {
            try store.discardStaged()
            report.appended = 0
            return report
        }
        try flush(commitHead: true)
        let appended = nextSeq - head.seq - 1
        report.appended = Int(appended)
        if appended > 0 { report.seqRange = (head.seq + 1)...(nextSeq - 1) }
        return report
    }

    // MARK: - One line

    private mutating func process(_ line: ParsedLine, _ bytes: UnsafeRawBufferPointer, _ txn: borrowing Transaction) throws {
        guard let event = line.event else { return reject(line.number, line.error ?? "invalid line") }
        let json = UnsafeRawBufferPointer(rebasing: bytes[line.json])
        let number = line.number

        if let existing = try lookup(event.id, txn) {
            if sameContent(existing.json, json) {
                report.duplicates += 1
            } else {
                reject(number, "conflict: id \"\(event.id)\" is already \(existing.place) with different content")
            }
            return
        }

        if let targetID = event.retracts {
            guard let target = try lookup(targetID, txn) else {
                return reject(number, "data.event: \"\(targetID)\" is not in the log or on an earlier line of this file")
            }
            guard target.type != .eventRetracted else {
                return reject(number, "data.event: \"\(targetID)\" is itself a retraction, which cannot be retracted")
            }
            let targetParticipant = try target.participant()
            if targetParticipant != event.participant {
                if let p = targetParticipant {
                    return reject(number, "participant: must be \"\(p)\", the participant of the retracted event \"\(targetID)\"")
                }
                return reject(number, "participant: must be absent, as the retracted event \"\(targetID)\" (\(target.type.name)) has none")
            }
        }
        append(event, json: json, line: number)
    }

    private mutating func reject(_ line: Int, _ message: String) {
        report.errorCount += 1
        if report.errors.count < options.maxReportedErrors { report.errors.append(LineError(line: line, message: message)) }
    }

    private mutating func append(_ event: EventKeys, json: UnsafeRawBufferPointer, line: Int) {
        let seq = nextSeq
        nextSeq += 1
        previousHash = EventRecord.append(seq: seq, type: event.type, appendedMicros: appendedMicros, json: json,
                                          previousHash: previousHash, into: &batch.records)
        batch.add(event: event, seq: seq, recordEnd: batch.records.count)
        stagedLines.append(Int32(truncatingIfNeeded: line))
        for institution in event.institutions where !knownInstitutions.contains(institution) {
            knownInstitutions.insert(institution)
            batch.newInstitutions.append((institution, seq))
        }
    }

    // MARK: - Lookups

    /// An earlier event with a given id: in the log, staged by this run, or in the batch.
    private struct Earlier {
        let type: EventType
        let json: [UInt8]
        let place: String
        let knownParticipant: String??

        func participant() throws -> String? {
            if let knownParticipant { return knownParticipant }
            return try EventParser.parse(json).participant
        }
    }

    private func lookup(_ id: String, _ txn: borrowing Transaction) throws -> Earlier? {
        if let index = batch.index(of: id) {
            return Earlier(type: batch.types[index], json: batch.json(at: index),
                           place: "on line \(line(ofSeq: batch.firstSeq + UInt64(index)))",
                           knownParticipant: .some(batch.participantOf[index]))
        }
        var key = id
        let seq: UInt64? = try key.withUTF8 { k in
            try txn.withValue(store.ids, key: UnsafeRawBufferPointer(k)) { v in v.map { StorageLayout.readUInt64($0) } }
        }
        guard let seq else { return nil }
        let record: StoredEvent? = try StorageLayout.seqKey(seq).withUnsafeBytes { k in
            try txn.withValue(store.events, key: k) { v in v.flatMap { EventRecord.decode(seq: seq, $0) } }
        }
        guard let record else { throw StoreError("\(store.directory): index points to missing record \(seq) (run journey verify)") }
        let place = seq <= head.seq ? "in the log at seq \(seq)" : "on line \(line(ofSeq: seq))"
        return Earlier(type: record.type, json: record.json, place: place, knownParticipant: nil)
    }

    private func line(ofSeq seq: UInt64) -> Int { Int(stagedLines[Int(seq - head.seq - 1)]) }

    /// Equal as parsed JSON (both sides are already without nulls and store fields).
    private func sameContent(_ a: [UInt8], _ b: UnsafeRawBufferPointer) -> Bool {
        if a.elementsEqual(b) { return true }
        return (try? JSONValue.parse(a)) == (try? JSONValue.parse(b))
    }

    // MARK: - Writing

    private mutating func flush(commitHead: Bool) throws {
        let batch = self.batch
        let store = self.store
        let newHead = LogHead(seq: nextSeq - 1, hash: previousHash, appendedMicros: appendedMicros)
        if batch.count > 0 || commitHead && newHead.seq != head.seq {
            try store.env.write { txn in
                try batch.write(txn, store: store)
                if commitHead {
                    try txn.put(store.meta, key: StorageLayout.headKey, value: newHead.encoded)
                }
            }
        }
        self.batch = PendingBatch(firstSeq: nextSeq, expected: options.batchSize)
    }
}

/// Events validated but not yet written: their records and index entries.
private struct PendingBatch {
    let firstSeq: UInt64
    var records: [UInt8] = []
    var recordEnds: [Int] = []
    var types: [EventType] = []
    var participantOf: [String?] = []
    var ids: [String: Int] = [:]
    var participants: [String: [UInt64]] = [:]
    var newInstitutions: [(String, UInt64)] = []

    init(firstSeq: UInt64, expected: Int = 0) {
        self.firstSeq = firstSeq
        records.reserveCapacity(expected * 320)
        recordEnds.reserveCapacity(expected)
        ids.reserveCapacity(expected)
    }

    var count: Int { recordEnds.count }

    func index(of id: String) -> Int? { ids[id] }

    mutating func add(event: EventKeys, seq: UInt64, recordEnd: Int) {
        ids[event.id] = recordEnds.count
        recordEnds.append(recordEnd)
        types.append(event.type)
        participantOf.append(event.participant)
        if let p = event.participant { participants[p, default: []].append(seq) }
    }

    func json(at index: Int) -> [UInt8] {
        let start = index == 0 ? 0 : recordEnds[index - 1]
        return Array(records[(start + StorageLayout.headerSize)..<recordEnds[index]])
    }

    /// Writes records (appending), the id index, the participant index and first mentions.
    func write(_ txn: borrowing Transaction, store: EventStore) throws {
        try records.withUnsafeBytes { all in
            try txn.withCursor(store.events) { cursor in
                var start = 0
                for (i, end) in recordEnds.enumerated() {
                    let key = StorageLayout.seqKey(firstSeq + UInt64(i))
                    let ok = try key.withUnsafeBytes { k in
                        try cursor.put(key: k, value: UnsafeRawBufferPointer(rebasing: all[start..<end]), options: .append)
                    }
                    guard ok else { throw StoreError("\(store.directory): seq \(firstSeq + UInt64(i)) is already taken") }
                    start = end
                }
            }
        }
        for (id, index) in ids {
            let ok = try txn.put(store.ids, key: Array(id.utf8), value: StorageLayout.seqKey(firstSeq + UInt64(index)), options: .noOverwrite)
            guard ok else { throw StoreError("\(store.directory): id \"\(id)\" is already indexed") }
        }
        for participant in participants.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let key = Array(participant.utf8)
            for seq in participants[participant] ?? [] {
                try txn.put(store.participants, key: key, value: StorageLayout.seqKey(seq), options: .appendDuplicate)
            }
        }
        for (institution, seq) in newInstitutions {
            try txn.put(store.institutions, key: Array(institution.utf8), value: StorageLayout.seqKey(seq), options: .noOverwrite)
        }
    }
}
