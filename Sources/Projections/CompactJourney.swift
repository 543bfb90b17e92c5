import JourneyModel

extension CompactEvent {
    /// The compact form of a journey of logged events, in the same order, its institutions
    /// numbered in `numbers`.
    public static func journey(_ journey: [LoggedEvent], numbers: inout InstitutionNumbers) -> [CompactEvent] {
        var out: [CompactEvent] = []
        out.reserveCapacity(journey.count)
        for logged in journey { out.append(CompactEvent(seq: logged.seq, event: logged.event, numbers: &numbers)) }
        var bytes: [UInt8] = [], ids: [Range<Int>] = []
        for logged in journey {
            ids.append(bytes.count..<(bytes.count + logged.event.id.utf8.count))
            bytes.append(contentsOf: logged.event.id.utf8)
        }
        bytes.withUnsafeBytes { b in CompactEvent.rankIds(&out) { UnsafeRawBufferPointer(rebasing: b[ids[$0]]) } }
        return out
    }
}
