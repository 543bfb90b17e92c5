import Foundation

/// In an encrypted store, the stage in front of the writer: seals each batch's events in groups
/// (`PendingBatch.sealGroups`) and builds their records, carrying the hash chain - which covers
/// the sealed bytes - from batch to batch; so parsing, sealing and writing overlap.
enum BatchSealer {
    static func stage(writer: BatchStage, sealing: GroupSealing, chainFrom hash: [UInt8]) -> BatchStage {
        let chain = ChainEnd(hash)
        return BatchStage(next: writer) { batch, head in
            chain.hash = try batch.sealGroups(sealing, previousHash: chain.hash)
            // The head of a committing batch gets the hash of its last record.
            try writer.submit(batch, head: head.map { LogHead(seq: $0.seq, hash: chain.hash, appendedMicros: $0.appendedMicros) })
        }
    }

    /// The hash of the last record sealed; used by the sealing stage's thread only.
    private final class ChainEnd {
        var hash: [UInt8]
        init(_ hash: [UInt8]) { self.hash = hash }
    }
}
