import Foundation
import JourneyModel
import LMDB

extension EventStore {
    /// Writes the committed log (or one participant's events) up to `upto` as JSON Lines, each
    /// event as imported plus `seq`, `appended` and `hash`, to `fd` (standard output by default).
    /// Events of participants removed by `journey forget` cannot be read and are left out (the
    /// `participant.exited` event `forget` appended stays). Returns how many events were written.
    ///
    /// Each record's hash is checked as it is read (against the previous record's, so the whole
    /// chain when the whole log is exported), and so is the log's continuity: an altered record
    /// or a missing seq stops the export with an error naming the seq.
    ///
    /// `beforeComplete` is called with the number of events before the last of them are written
    /// (the audit entry of the release); if it throws, the output stays incomplete.
    @discardableResult
    public func export(
        participant: String? = nil, upto: UInt64? = nil, to fd: Int32 = STDOUT_FILENO, beforeComplete: (Int) throws -> Void = { _ in }
    ) throws -> Int {
        _ = try contentCipher()
        var out = OutputBuffer(fd: fd)
        var count = 0
        try read { snapshot in
            let txn = snapshot.txn.sharedHandle()
            let last = min(upto ?? snapshot.head.seq, snapshot.head.seq)
            if let participant {
                var opener = RecordOpener(store: self)
                for seq in try snapshot.seqs(ofParticipant: participant, upto: last) {
                    let previous = seq == 1 ? LogHead.empty.hash : try storedHash(at: seq - 1, txn)
                    // Checked and read from the one look-up of the record.
                    let stored: StoredEvent? = try StorageLayout.withSeqKey(seq) { k in
                        try txn.withValue(events, key: k) { v in
                            guard let v else { throw StoreError("\(directory): seq \(seq) is missing from the log (run journey verify)") }
                            try checkHash(v, seq: seq, previous: previous)
                            return try opener.storedEvent(seq: seq, v, txn)
                        }
                    }
                    guard let stored else { throw StoreError("\(directory): record \(seq) is damaged (run journey verify)") }
                    guard !stored.isForgotten else { continue }
                    stored.exportLine(into: &out.bytes)
                    count += 1
                    try out.flushIfFull()
                }
            } else {
                var previous = LogHead.empty.hash
                var expected: UInt64 = 1
                var opener = RecordOpener(store: self)
                try txn.withCursor(events) { cursor in
                    var entry = try cursor.get(.first)
                    while expected <= last {
                        guard let (k, v) = entry, k.count == 8, StorageLayout.readUInt64(k) == expected else {
                            throw StoreError("\(directory): seq \(expected) is missing from the log (run journey verify)")
                        }
                        previous = try checkHash(v, seq: expected, previous: previous)
                        guard let stored = try opener.storedEvent(seq: expected, v, txn) else {
                            throw StoreError("\(directory): record \(expected) is damaged (run journey verify)")
                        }
                        if !stored.isForgotten {
                            stored.exportLine(into: &out.bytes)
                            count += 1
                            try out.flushIfFull()
                        }
                        expected += 1
                        entry = try cursor.get(.next)
                    }
                }
                if last == snapshot.head.seq, previous != snapshot.head.hash {
                    throw StoreError("\(directory): the log's head does not match its last record (run journey verify)")
                }
            }
        }
        try beforeComplete(count)
        try out.flush()
        return count
    }

    /// The hash stored in the record at `seq`.
    private func storedHash(at seq: UInt64, _ txn: borrowing Transaction) throws -> [UInt8] {
        try StorageLayout.withSeqKey(seq) { k in
            try txn.withValue(events, key: k) { v in
                guard let v, v.count >= StorageLayout.hashOffset + StorageLayout.hashSize else {
                    throw StoreError("\(directory): seq \(seq) is missing from the log (run journey verify)")
                }
                return Array(v[StorageLayout.hashOffset..<(StorageLayout.hashOffset + StorageLayout.hashSize)])
            }
        }
    }

    /// Checks the record at `seq` against its stored hash, chained from `previous`; returns the hash.
    @discardableResult
    private func checkHash(_ record: UnsafeRawBufferPointer, seq: UInt64, previous: [UInt8]) throws -> [UInt8] {
        guard record.count > StorageLayout.headerSize else {
            throw StoreError("\(directory): record \(seq) is damaged (run journey verify)")
        }
        let hash = HashChain.hash(previous: previous, seq: seq, record: record)
        guard hash.elementsEqual(record[StorageLayout.hashOffset..<(StorageLayout.hashOffset + StorageLayout.hashSize)]) else {
            throw StoreError("\(directory): seq \(seq): the stored record does not match its hash (altered or damaged; run journey verify); the export stopped there")
        }
        return hash
    }
}

/// Buffered writes to a file descriptor.
struct OutputBuffer {
    let fd: Int32
    var bytes: [UInt8] = []

    init(fd: Int32) {
        self.fd = fd
        bytes.reserveCapacity(1 << 20)
    }

    mutating func flushIfFull() throws {
        if bytes.count >= 1 << 20 { try flush() }
    }

    mutating func flush() throws {
        try bytes.withUnsafeBytes { raw in try FullWrite.write(raw, to: fd, what: "output") }
        bytes.removeAll(keepingCapacity: true)
    }
}
