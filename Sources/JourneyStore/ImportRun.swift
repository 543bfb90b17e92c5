import Crypto
import Foundation
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
        return try importLines(from: try LineReader(path: path, maxLineBytes: options.maxLineBytes), options: options)
    }

    /// Imports `bytes` while the caller holds the writer lock (`forget`).
    func importLocked(_ bytes: [UInt8], name: String, options: ImportOptions) throws -> ImportReport {
        try importRun(from: LineReader(bytes: bytes, name: name, maxLineBytes: options.maxLineBytes), options: options)
    }

    /// Imports JSON Lines held in memory, as `importFile` does a file; `name` stands for the
    /// file in the report. Converted data (the questionnaire app's exports) goes through here, so
    /// it never lies on disk unencrypted.
    public func importData(_ bytes: [UInt8], name: String, options: ImportOptions = ImportOptions()) throws -> ImportReport {
        guard !isReadOnly else { throw StoreError("\(directory): opened read-only; cannot import") }
        return try importLines(from: LineReader(bytes: bytes, name: name, maxLineBytes: options.maxLineBytes), options: options)
    }

    private func importLines(from reader: LineReader, options: ImportOptions) throws -> ImportReport {
        LargeBufferPolicy.apply()
        let lock = try WriterLock(directory: directory, onWait: { options.onWait?() })
        defer { withExtendedLifetime(lock) {} }
        return try importRun(from: reader, options: options)
    }

    private func importRun(from reader: LineReader, options: ImportOptions) throws -> ImportReport {
        do {
            var run = try ImportRun(store: self, reader: reader, options: options)
            return try run.execute()
        } catch {
            // Nothing was committed; the failure is on the record (if the store still takes one).
            var request = options.audit
            if request.action == "import" { request.detail["file"] = reader.name }
            request.detail["outcome"] = "failed"
            request.detail["reason"] = (error as? StoreError)?.message ?? "\(error)"
            _ = try? recordAudit(request)
            throw error
        }
    }
}

/// The state of one file's import: the events staged so far and the checks against the log.
private struct ImportRun {
    let store: EventStore
    let reader: LineReader
    let options: ImportOptions
    /// Events per staging transaction.
    let batchSize: Int
    var report: ImportReport
    let head: LogHead
    let appendedMicros: Int64
    var nextSeq: UInt64
    var previousHash: [UInt8]
    /// Line number of every event staged by this run, by `seq - head.seq - 1`.
    var stagedLines: [Int32] = []
    /// Index keys of the institutions already in the institution index or first named by this
    /// run (a fingerprint table: a `Set` hashed every name again with a seeded hasher).
    var knownInstitutions = StringNumbering()
    var batch: PendingBatch
    /// Index entries of batches written to the log but not yet to the id and participant indexes.
    let staged: StagedIndexEntries
    /// Buffers of written batches, for the next ones.
    let recycler = BatchRecycler()
    /// The store's keys when it is encrypted.
    let cipher: StoreCipher?
    /// The last 4 bytes of every nonce this run seals with (the first 8 are the seq).
    let nonceSalt = UInt32.random(in: .min ... .max)
    /// Participants of this run whose data key is known (encrypted stores; looked up once an
    /// event: a `Dictionary` hashed every pseudonym with its seeded hasher). The keys wait in the
    /// cipher's cache for the sealer.
    var keyedParticipants = StringNumbering()
    /// Wraps the data keys this run makes (libcrypto, on the importer's thread).
    var wrapper: GroupEncryptor?
    /// Participants whose data key this run made: unless the run commits, their keys may not
    /// have been written, so they leave the cipher's cache again.
    var createdKeys: [String] = []
    var committed = false
    /// Institution ids numbered, and each one's blinded index key by number (encrypted stores;
    /// few distinct ids, looked up once or twice an event: a `Dictionary` hashed each id with
    /// its seeded hasher, 1% of an encrypted import's instructions).
    var blindedIds = StringNumbering()
    var blinded: [String] = []
    /// The codebook in force (contract 4.1): the log's definitions, read when a line first needs
    /// them, and this run's, applied as their lines are appended.
    var codebook: Codebook?
    /// The seqs of this run's definitions, listed with the head.
    var definitionSeqs: [UInt64] = []

    init(store: EventStore, reader: LineReader, options: ImportOptions) throws {
        self.store = store
        self.reader = reader
        self.options = options
        report = ImportReport(file: reader.name)
        cipher = try store.contentCipher()
        report.discardedStaged = try store.discardStaged()
        head = try store.head()
        appendedMicros = max(Timestamp.nowMicros(), head.appendedMicros)
        nextSeq = head.seq + 1
        previousHash = head.hash
        batchSize = options.batchSize ?? ImportOptions.defaultBatchSize
        batch = PendingBatch(firstSeq: head.seq + 1, expected: batchSize)
        staged = StagedIndexEntries(limit: options.stagedIndexEvents ?? ImportOptions.stagedIndexBatches * batchSize,
                                    partEntries: options.indexPartEntries)
        let institutionsDB = store.institutions
        knownInstitutions = try store.env.read { txn in
            try txn.withCursor(institutionsDB) { cursor in
                var names = StringNumbering(capacity: 256)
                var entry = try cursor.get(.first)
                while let (k, _) = entry {
                    names.number(String(decoding: k, as: UTF8.self))
                    entry = try cursor.get(.next)
                }
                return names
            }
        }
    }

    mutating func execute() throws -> ImportReport {
        // Events of the workloads and exports are 200-300 bytes; a file of shorter lines grows
        // the filter as it goes.
        let classifier = IdClassifier(store: store, headSeq: head.seq, expectedIds: (reader.sizeHint ?? 0) / 256)
        let stream = ParsedLineStream(reader: reader, linesPerChunk: min(2048, batchSize))
        let batchWriter = BatchWriter.stage(store: store, staged: staged, recycler: recycler, failAfterParts: options.failAfterIndexParts)
        let writer = cipher.map {
            BatchSealer.stage(writer: batchWriter,
                              sealing: GroupSealing(cipher: $0, appendedMicros: appendedMicros, nonceSalt: nonceSalt,
                                                    storeSealed: options.forgetting),
                              chainFrom: head.hash)
        } ?? batchWriter
        defer {
            if !committed, let cipher { for p in createdKeys { cipher.evict(p) } }
            stream.cancel()
            // On an error path a batch may still be in flight: let it land before the writer
            // lock is released, so the next import's clean-up sees it.
            try? writer.drain()
            writer.stop()
        }
        var lastProgress = 0
        while var chunk = try stream.next() {
            try classifier.classify(&chunk)
            // Exact lookups must see every staged batch: let the writer catch up first.
            if chunk.lines.contains(where: { $0.needsExactLookup }) { try writer.drain() }
            try store.env.read { txn in
                try chunk.bytes.withUnsafeBytes { bytes in
                    try chunk.ids.withUnsafeBytes { ids in
                        for i in chunk.lines.indices { try process(chunk.lines[i], ids, bytes, txn) }
                    }
                }
            }
            if batch.count >= batchSize {
                try writer.submit(batch, head: nil)
                batch = recycler.take(emptiedFrom: nextSeq) ?? PendingBatch(firstSeq: nextSeq, expected: batchSize)
            }
            if let progress = options.progress, stream.progress.lines - lastProgress >= 50_000 {
                lastProgress = stream.progress.lines
                progress(stream.progress.lines, stream.progress.bytes)
            }
        }
        if report.errorCount > 0 {
            try writer.drain()
            try store.discardStaged()
            report.appended = 0
            try store.recordAudit(auditRequest())
            return report
        }
        let appended = nextSeq - head.seq - 1
        report.appended = Int(appended)
        if appended > 0 {
            report.seqRange = (head.seq + 1)...(nextSeq - 1)
            if let forgetting = options.forgetting { batch.tombstones.append(forgetting) }
            // The head's move and the audit entry commit together, with the batch.
            // (When sealing, the sealer chains the hashes and puts the last one in the head.)
            batch.audit = auditRequest()
            batch.definitions = definitionSeqs
            try writer.submit(batch, head: LogHead(seq: nextSeq - 1, hash: previousHash, appendedMicros: appendedMicros))
            try writer.drain()
            committed = true
            if options.mergesIndexGenerations {
                do {
                    report.indexMerges = try store.mergeIndexGenerations(entriesPerTransaction: options.mergeEntriesPerTransaction,
                                                                         stopAfter: options.failAfterMergeTransactions)
                } catch {
                    report.indexMergeProblem = "\(error)"
                }
            }
        } else {
            try store.recordAudit(auditRequest())
        }
        return report
    }

    /// The audit entry of this run's outcome.
    private func auditRequest() -> AuditRequest {
        var request = options.audit
        if request.action == "import" { request.detail["file"] = reader.name }
        request.detail["outcome"] = report.succeeded ? "appended" : "rejected"
        request.detail["appended"] = String(report.appended)
        request.detail["duplicates"] = String(report.duplicates)
        if let range = report.seqRange { request.detail["seqs"] = "\(range.lowerBound)-\(range.upperBound)" }
        if !report.succeeded { request.detail["badLines"] = String(report.errorCount) }
        return request
    }

    // MARK: - One line

    private mutating func process(
        _ line: ParsedLine, _ ids: UnsafeRawBufferPointer, _ bytes: UnsafeRawBufferPointer, _ txn: borrowing Transaction
    ) throws {
        guard let event = line.event else { return reject(line.number, line.error ?? "invalid line") }
        if cipher != nil, let p = event.participant, p != options.forgetting, try !hasDataKey(p, txn) {
            return reject(line.number, "participant: \"\(p)\" was forgotten (journey forget); nothing can be added for them")
        }
        let id = UnsafeRawBufferPointer(rebasing: ids[event.id])
        let json = UnsafeRawBufferPointer(rebasing: bytes[line.json])
        let number = line.number

        let earlier: Earlier?
        switch line.status {
        case .new: earlier = nil
        case .inLog(let seq): earlier = try record(atSeq: seq, txn)
        case .maybeEarlierLine: earlier = try lookup(String(decoding: id, as: UTF8.self), txn)
        }
        if let existing = earlier {
            if sameContent(existing.json, json) {
                report.duplicates += 1
            } else {
                reject(number, "conflict: id \"\(String(decoding: id, as: UTF8.self))\" is already \(existing.place) with different content")
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
            guard !Codebook.isDefinition(target.type) else {
                return reject(number, "data.event: \"\(targetID)\" is a \(target.type.name), which cannot be retracted (define it again instead)")
            }
            let targetParticipant = try target.participant()
            if targetParticipant != event.participant {
                if let p = targetParticipant {
                    return reject(number, "participant: must be \"\(p)\", the participant of the retracted event \"\(targetID)\"")
                }
                return reject(number, "participant: must be absent, as the retracted event \"\(targetID)\" (\(target.type.name)) has none")
            }
        }
        if Codebook.isDefinition(event.type) || event.type == .participantDescribed || event.type == .expectation || event.type == .experience {
            if codebook == nil { codebook = try loadCodebook(txn) }
            if codebook!.checks(event.type) {
                // The import's parse keeps no texts; the codebook's rules read them.
                let full: Event
                do { full = try EventParser.parse(json) } catch { return reject(number, "\(error)") }
                if let why = codebook!.misfit(full.payload) { return reject(number, why) }
                if Codebook.isDefinition(event.type) { definitionSeqs.append(nextSeq) }
                try append(event, id: id, json: json, line: number)
                codebook!.apply(full.payload)
                return
            }
        }
        try append(event, id: id, json: json, line: number)
    }

    /// The codebook of the committed log (its definitions, in log order).
    private func loadCodebook(_ txn: borrowing Transaction) throws -> Codebook {
        var codebook = Codebook()
        for seq in try store.definitionSeqs(upto: head.seq, txn) {
            let earlier = try record(atSeq: seq, txn)
            do {
                codebook.apply(try EventParser.parse(earlier.json).payload)
            } catch {
                throw StoreError("\(store.directory): record \(seq), a codebook definition, does not parse (run journey verify): \(error)")
            }
        }
        return codebook
    }

    /// True if participant `p` of an encrypted store has a data key - known to this run, stored
    /// (then cached), or made now (cached, and written with the batch); false if `p` was forgotten.
    private mutating func hasDataKey(_ p: String, _ txn: borrowing Transaction) throws -> Bool {
        if keyedParticipants.contains(p) { return true }
        guard let cipher else { return false }
        if try store.dataKey(of: p, txn) == nil {
            if try store.isForgotten(p, txn) { return false }
            let key = cipher.newDataKey()
            if wrapper == nil { wrapper = try GroupEncryptor() }
            batch.newKeys.append((p, try cipher.wrap(key, participant: p, with: wrapper)))
            cipher.cache(key, for: p)
            createdKeys.append(p)
        }
        keyedParticipants.number(p)
        return true
    }

    private mutating func reject(_ line: Int, _ message: String) {
        report.errorCount += 1
        if report.errors.count < options.maxReportedErrors { report.errors.append(LineError(line: line, message: message)) }
    }

    private mutating func append(_ event: EventKeys, id: UnsafeRawBufferPointer, json: UnsafeRawBufferPointer, line: Int) throws {
        let seq = nextSeq
        if cipher != nil {
            // Sealed in groups when the batch is complete (`sealBatch`).
            batch.plain.append(contentsOf: json)
            batch.plainEnds.append(batch.plain.count)
        } else {
            EventRecord.append(seq: seq, type: event.type, appendedMicros: appendedMicros, json: json,
                               chaining: &previousHash, into: &batch.records)
        }
        nextSeq += 1
        batch.add(event: event, id: id, seq: seq, recordEnd: cipher == nil ? batch.records.count : 0)
        stagedLines.append(Int32(truncatingIfNeeded: line))
        if let institution = event.institutions.0 { noteInstitution(institution, seq: seq) }
        if let institution = event.institutions.1 { noteInstitution(institution, seq: seq) }
    }

    /// Records the first mention of `institution` for the institution index.
    private mutating func noteInstitution(_ institution: String, seq: UInt64) {
        let indexKey = cipher == nil ? institution : blindedKey(institution)
        let known = knownInstitutions.count
        guard knownInstitutions.number(indexKey) == known else { return }
        batch.newInstitutions.append((indexKey, seq))
    }

    private mutating func blindedKey(_ institution: String) -> String {
        let n = blindedIds.number(institution)
        if n < blinded.count { return blinded[n] }
        let key = store.institutionKey(institution)
        blinded.append(key)
        return key
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

    /// The earlier event with `id`: staged or committed (through the id index), or in the batch.
    private mutating func lookup(_ id: String, _ txn: borrowing Transaction) throws -> Earlier? {
        var key = id
        // Committed, or flushed by this run into a generation not yet listed.
        let generations = try IndexGenerations.current(txn, store)
        let pending = staged.pendingGenerations
        let seq: UInt64? = try key.withUTF8 { k in try generations.seq(ofId: UnsafeRawBufferPointer(k), txn, store, extra: pending) }
        if let seq { return try record(atSeq: seq, txn) }
        // Staged by an earlier batch of this run: written to the log, not yet to the id index.
        if let seq = staged.seq(ofId: id) { return try record(atSeq: seq, txn) }
        guard let index = batch.index(of: id) else { return nil }
        return Earlier(type: batch.types[index], json: try batchJSON(index),
                       place: "on line \(line(ofSeq: batch.firstSeq + UInt64(index)))",
                       knownParticipant: .some(batch.participant(at: index)))
    }

    /// The stored event at `seq` (committed, or staged by this run).
    private func record(atSeq seq: UInt64, _ txn: borrowing Transaction) throws -> Earlier {
        let record: StoredEvent? = try StorageLayout.withSeqKey(seq) { k in
            try txn.withValue(store.events, key: k) { v in try v.flatMap { try store.storedEvent(seq: seq, $0, txn) } }
        }
        guard let record else { throw StoreError("\(store.directory): index points to missing record \(seq) (run journey verify)") }
        let place = seq <= head.seq ? "in the log at seq \(seq)" : "on line \(line(ofSeq: seq))"
        return Earlier(type: record.type, json: record.json, place: place,
                       knownParticipant: record.sealedParticipant.map { .some($0) })
    }

    /// The JSON of the batch's event at `index`.
    private func batchJSON(_ index: Int) throws -> [UInt8] {
        cipher == nil ? batch.json(at: index) : batch.plainJSON(at: index)
    }

    private func line(ofSeq seq: UInt64) -> Int { Int(stagedLines[Int(seq - head.seq - 1)]) }

    /// Equal as parsed JSON (both sides are already without nulls and store fields).
    private func sameContent(_ a: [UInt8], _ b: UnsafeRawBufferPointer) -> Bool {
        if a.elementsEqual(b) { return true }
        return (try? JSONValue.parse(a)) == (try? JSONValue.parse(b))
    }

}
