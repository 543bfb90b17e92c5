import Foundation
import Testing
@testable import JourneyModel

/// The compact decoder must give, for every stored record, `nil` exactly where the full decoder
/// does, and otherwise the compact form of the full decoder's event - with the same institution
/// numbers, since both number into one `InstitutionNumbers` here.
struct CompactEventDecoderTests {
    /// The compact form of `stored` both ways, numbering into one shared numbering.
    static func bothWays(_ stored: [UInt8], type: EventType, seq: UInt64, decoder: StoredEventDecoder,
                         numbers: inout InstitutionNumbers) -> (compact: CompactEvent?, full: CompactEvent?) {
        let compact = stored.withUnsafeBytes { decoder.decodeCompact($0, type: type, seq: seq, numbers: &numbers) }
        let full = stored.withUnsafeBytes { decoder.decode($0, type: type) }.map { CompactEvent(seq: seq, event: $0, numbers: &numbers) }
        return (compact, full)
    }

    @Test func decodesEveryStoredRecordAsTheFullDecoder() throws {
        let decoder = StoredEventDecoder()
        var numbers = InstitutionNumbers()
        let all = StoredEventDecoderTests.lines + (try StoredEventDecoderTests.fixtureLines())
        var decoded = 0
        for (i, line) in all.enumerated() {
            let (strict, stored) = try StoredEventDecoderTests.stored(line)
            let (compact, full) = Self.bothWays(stored, type: strict.type, seq: UInt64(i + 1), decoder: decoder, numbers: &numbers)
            #expect(compact == full, "\(line)")
            if compact != nil { decoded += 1 }
            // And it is the compact form of the strict parser's event.
            if let compact { #expect(compact == CompactEvent(seq: UInt64(i + 1), event: strict, numbers: &numbers)) }
        }
        // Only the record whose date is written with escapes, and the codebook's (left to the
        // strict parser), take the full path.
        #expect(decoded == all.count - 1 - StoredEventDecoderTests.codebookLines(all))
    }

    @Test func aCompactEventKeepsWhatTheRulesRead() throws {
        var numbers = InstitutionNumbers()
        let line = #"{"id":"r1","type":"referral","participant":"P1","at":"2023-03-05T10:13:19+02:00","source":"esm","data":{"from":"self","to":"ggz-2","outcome":"no-capacity","reason":"full"}}"#
        let (event, stored) = try StoredEventDecoderTests.stored(line)
        let compact = try #require(stored.withUnsafeBytes { StoredEventDecoder().decodeCompact($0, type: event.type, seq: 7, numbers: &numbers) })
        #expect(compact.seq == 7 && compact.type == .referral && compact.outcome == .noCapacity && compact.exitReason == nil)
        #expect(compact.calendarDate == CalendarDate("2023-03-05") && compact.day == compact.date && compact.timed)
        #expect(compact.seconds == event.at.instant?.seconds && compact.nanoseconds == 0)
        #expect(compact.counterpart == 0 && !InstitutionNumbers.isInstitution(compact.counterpart))
        #expect(numbers.name(compact.institution) == "ggz-2" && numbers.name(1) == "network" && numbers.count == 3)
    }

    @Test func aDamagedRecordReadsAsTheFullDecoderReadsIt() throws {
        let decoder = StoredEventDecoder()
        var numbers = InstitutionNumbers()
        var random = SeededRandom(seed: 20261130)
        let records = try (StoredEventDecoderTests.lines + (try StoredEventDecoderTests.fixtureLines())).map { try StoredEventDecoderTests.stored($0).1 }
        var accepted = 0
        for i in 0..<20_000 {
            let bytes = random.damaged(random.pick(records), edits: 1...3)
            for type in EventType.allCases {
                let (compact, full) = Self.bothWays(bytes, type: type, seq: UInt64(i), decoder: decoder, numbers: &numbers)
                #expect(compact == full)
                if compact != nil { accepted += 1 }
            }
        }
        #expect(accepted > 100)
    }

    @Test func byTimeOrdersDatesBeforeDateTimesThenInstantsThenIdNotSeq() throws {
        func compact(_ seq: UInt64, _ at: String, idRank: Int32 = 0) throws -> CompactEvent {
            var event = CompactEvent(seq: seq, type: .contact, at: try #require(Moment(at)))
            event.idRank = idRank
            return event
        }
        let ordered = [
            try compact(9, "2023-05-01T23:00:00-05:00"),  // 2023-05-02 in UTC, dated 05-01 as written
            try compact(6, "2023-05-02", idRank: 1), try compact(5, "2023-05-02", idRank: 2),
            try compact(3, "2023-05-02T08:00:00+02:00"), try compact(2, "2023-05-02T08:00:00.5+02:00"),
            try compact(1, "2023-05-02T09:00:00+02:00"),
        ]
        for (i, a) in ordered.enumerated() {
            for (j, b) in ordered.enumerated() { #expect(CompactEvent.byTime(a, b) == (i < j)) }
        }
    }

    /// Ids compared by their numbers come in byte order: ids sharing their first eight bytes,
    /// prefixes of one another, shorter and longer than eight bytes.
    @Test func institutionNumbersCompareIdsInByteOrder() {
        var ids = ["a", "ab", "ab-", "b", "police-1", "police-10", "police-2", "police-amsterdam", "police-amstelveen",
                   "police-1-", "Z", "zorg.1", "zorg_1", "ggz-1", "ggz-10", "12345678", "123456789", "1234567"]
        var random = SeededRandom(seed: 9)
        for _ in 0..<200 { ids.append(String((0..<random.int(1...12)).map { _ in random.pick(Array("ab-.1Z")) })) }
        var numbers = InstitutionNumbers()
        let numbered = ids.map { numbers.number($0) }
        for (i, a) in numbered.enumerated() {
            for (j, b) in numbered.enumerated() {
                #expect(numbers.precedes(a, b) == ids[i].utf8.lexicographicallyPrecedes(ids[j].utf8), "\(ids[i]) \(ids[j])")
            }
        }
    }
}
