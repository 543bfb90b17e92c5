import JourneyModel

extension CompactEvent {
    /// The compact form of a journey of logged events, in the same order, its institutions
    /// numbered in `numbers`.
    public static func journey(_ journey: [LoggedEvent], numbers: inout InstitutionNumbers) -> [CompactEvent] {
        var out: [CompactEvent] = []
        out.reserveCapacity(journey.count)
        for logged in journey { out.append(CompactEvent(seq: logged.seq, event: logged.event, numbers: &numbers)) }
        return out
    }
}
