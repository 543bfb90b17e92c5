/// Every member name the event format knows, matched from raw bytes without making a String.
///
/// One enum for the envelope and all `data` objects keeps duplicate detection a bit mask.
enum FieldName: String, CaseIterable {
    // Envelope.
    case id, type, participant, at, recorded, source, by, data
    // Store fields (ignored on import).
    case seq, appended, hash
    // Data fields.
    case ageBand, childrenWithExPartner, abuse, reason, institution, name, categories, levels
    case role, mode, from, to, outcome, plannedFor, cameVia, needs, expectedFulfilment
    case statements, contactOn, summary, event
    case questionnaire, kind, status, prompted, scheduled, started, ended, expires

    /// A field as matched, with its bit for duplicate detection.
    struct Match {
        let field: FieldName
        let bit: UInt64
    }

    /// Names grouped by byte length, for matching.
    private static let byLength: [[(bytes: [UInt8], match: Match)]] = {
        var table = [[(bytes: [UInt8], match: Match)]](repeating: [], count: 32)
        for (i, f) in allCases.enumerated() {
            table[f.rawValue.utf8.count].append((Array(f.rawValue.utf8), Match(field: f, bit: 1 << UInt64(i))))
        }
        return table
    }()

    /// The field named by `token`, or `nil` for a name the format does not have.
    @inline(__always)
    static func match(_ token: JSONScanner.StringToken, in scanner: JSONScanner) -> Match? {
        if token.hasEscapes {
            let name = Array(scanner.string(token).utf8)
            guard name.count < byLength.count else { return nil }
            return byLength[name.count].first(where: { $0.bytes == name })?.match
        }
        let n = token.count
        guard n < byLength.count else { return nil }
        let bytes = scanner.bytes
        let start = token.start
        outer: for candidate in byLength[n] {
            for i in 0..<n where candidate.bytes[i] != bytes[start + i] { continue outer }
            return candidate.match
        }
        return nil
    }
}
