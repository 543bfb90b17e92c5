import Foundation
import JourneyModel

/// Stored-event decoders lent to views, one view at a time: a decoder's table of strings
/// (`StoredEventDecoder`) is made once and kept, not made and freed with every view - for a view
/// of one journey that cost more than decoding it.
///
/// A lock, not a `Mutex`: decoders are not `Sendable` (one thread uses one at a time), and a
/// `Mutex` cannot take one back from a view that kept it in a stored property.
final class DecoderPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [StoredEventDecoder] = []
    /// Decoders kept for reuse; more are made while more views are open at once.
    private let kept = 8

    /// A decoder for the calling thread's view, until `giveBack`.
    func take() -> StoredEventDecoder {
        lock.lock()
        defer { lock.unlock() }
        return free.popLast() ?? StoredEventDecoder()
    }

    /// Returns a decoder taken with `take` once its view has ended.
    func giveBack(_ decoder: StoredEventDecoder) {
        lock.lock()
        defer { lock.unlock() }
        if free.count < kept { free.append(decoder) }
    }
}
