import Crypto
import Foundation
import JourneyModel
import LMDB

/// Classifies the ids of parsed chunks, in line order: new, in the committed log, or maybe on an
/// earlier line. (On the importer's thread: parsing is the longest stage of the pipeline.)
final class IdClassifier {
    let store: EventStore
    let headSeq: UInt64
    var filter: IdFilter

    init(store: EventStore, headSeq: UInt64, expectedIds: Int) {
        self.store = store
        self.headSeq = headSeq
        filter = IdFilter(expected: expectedIds)
    }

    func classify(_ chunk: inout ParsedChunk) throws {
        let headSeq = headSeq
        try store.env.read { txn in
            let search = try IndexGenerations.IdSearch(.current(txn, store), txn, store)
            for i in chunk.lines.indices {
                guard let keys = chunk.lines[i].event else { continue }
                let id = chunk.id(keys)
                if filter.insert(id) {
                    chunk.lines[i].status = .maybeEarlierLine
                    continue
                }
                if headSeq == 0 { continue }
                let seq: UInt64? = try id.withUnsafeBytes { k in try search.seq(ofId: k, txn) }
                if let seq, seq <= headSeq { chunk.lines[i].status = .inLog(seq) }
            }
        }
    }
}
