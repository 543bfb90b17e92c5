import Testing
@testable import JourneyModel

/// Enum values read from JSON are matched by their bytes: every name of every named enum is
/// found, and no name with one byte changed, dropped or added is taken for another.
struct CaseNamesTests {
    func check<E: NamedCases & RawRepresentable & Equatable>(_: E.Type) where E.RawValue == String {
        let names = Set(E.allCases.map(\.rawValue))
        for c in E.allCases {
            let bytes = Array(c.rawValue.utf8)
            #expect(bytes.withUnsafeBytes { E.named($0) } == c)
            var variants: [[UInt8]] = [Array(bytes.dropLast()), Array(bytes.dropFirst()), bytes + [0x2D], [0x2D] + bytes]
            for i in bytes.indices {
                var changed = bytes
                changed[i] ^= 0x01
                variants.append(changed)
            }
            for v in variants where !names.contains(String(decoding: v, as: UTF8.self)) {
                #expect(v.withUnsafeBytes { E.named($0) } == nil, "\(String(decoding: v, as: UTF8.self))")
            }
        }
        #expect([UInt8]().withUnsafeBytes { E.named($0) } == nil)
    }

    @Test func everyNameMatchesItsOwnCaseOnly() {
        check(EventSource.self)
        check(QuestionnaireKind.self)
        check(SessionStatus.self)
        check(ExitReason.self)
        check(ReferralOutcome.self)
        check(ContactMode.self)
        check(AbuseKind.self)
        check(InstitutionLevel.self)
    }

    @Test func eventTypeNamesMatchTheirOwnTypeOnly() {
        for type in EventType.allCases {
            let bytes = Array(type.name.utf8)
            #expect(bytes.withUnsafeBytes { EventType.caseNames.match($0) } == type)
            var changed = bytes
            changed[changed.count / 2] ^= 0x01
            #expect(changed.withUnsafeBytes { EventType.caseNames.match($0) } == nil)
        }
    }
}
