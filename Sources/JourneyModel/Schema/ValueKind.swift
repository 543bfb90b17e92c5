/// How a member's value is written and checked (contract 1.1-1.2): what the strict parser
/// validates, what the readers of stored records read, and what the JSON Schema says.
public enum ValueKind: Sendable {
    /// A string of 1-`max` characters of `[A-Za-z0-9._-]` (and `:` if `colon`): ids.
    case identifier(max: Int, colon: Bool)
    /// An institution id (an identifier of up to 64 characters), not `self` or `network`.
    case institution
    /// An institution id, or `self` or `network`.
    case referrer
    /// Any string.
    case text
    /// One value of a closed set.
    case code(CodeSet)
    /// Distinct values of a closed set (at least one if `nonEmpty`).
    case codes(CodeSet, nonEmpty: Bool)
    /// Distinct category codes of the coding scheme (`Taxonomy`), at least one.
    case categories
    /// An array of strings.
    case texts
    /// A calendar date, `YYYY-MM-DD`.
    case date
    /// An RFC 3339 date-time with an offset.
    case dateTime
    /// An integer 0-5.
    case score
    /// `true` or `false`.
    case flag
    /// An object of statement item -> score 0-5, in the order written.
    case statements
    /// A covariate's name: `[a-z][a-z0-9_]{0,31}`, not a column of `participants.csv`.
    case covariateName
    /// A finite JSON number.
    case number
    /// Distinct strings (possibly none).
    case uniqueTexts
    /// A non-empty object of category code -> {`label`, `labelNl`?}.
    case categoryLabels
    /// A non-empty object of covariate name -> number, boolean or string.
    case covariateValues
    /// A non-empty object of field name -> string (a session's answers).
    case textMap

    /// The tag of the kind, for the readers' switch (no payload to copy).
    var tag: ValueTag {
        switch self {
        case .identifier: .identifier
        case .institution: .institution
        case .referrer: .referrer
        case .text: .text
        case .code: .code
        case .codes: .codes
        case .categories: .categories
        case .texts: .texts
        case .date: .date
        case .dateTime: .dateTime
        case .score: .score
        case .flag: .flag
        case .statements: .statements
        case .covariateName: .covariateName
        case .number: .number
        case .uniqueTexts: .uniqueTexts
        case .categoryLabels: .categoryLabels
        case .covariateValues: .covariateValues
        case .textMap: .textMap
        }
    }
}

/// `ValueKind` without its payload.
enum ValueTag: UInt8, Sendable {
    case identifier, institution, referrer, text, code, codes, categories, texts, date, dateTime, score, flag, statements
    /// Kinds the stored readers leave to the strict parser (codebook events are few).
    case covariateName, number, uniqueTexts, categoryLabels, covariateValues, textMap
}

/// The values of a closed set, numbered in their declaration order.
public struct CodeSet: Sendable {
    /// The values as written.
    public let names: [String]

    /// The values of `E` (its raw values, in `allCases` order).
    public init<E: NamedCases & RawRepresentable>(_: E.Type) where E.RawValue == String {
        names = E.allCases.map(\.rawValue)
    }

    /// A matcher of these values in memory that is never freed, for the readers' layout (how
    /// the readers match values by their bytes).
    func immortalMatcher() -> CodeMatcher { CodeMatcher(names) }

    /// The number of `value`, if it is one (texts written with escapes, the parser's arrays).
    func index(_ value: String) -> Int? { names.firstIndex(of: value) }
}

/// Matches the values of a `CodeSet` by their bytes, in memory that is never freed (made once per
/// declared member): a trivial value, read on every record without reference counting.
struct CodeMatcher {
    /// Each value as a `NameKey` (values are at most 24 bytes).
    private let keys: UnsafeMutableBufferPointer<NameKey>

    init(_ names: [String]) {
        precondition(names.allSatisfy { $0.utf8.count <= 24 }, "a code longer than 24 bytes")
        keys = .allocate(capacity: names.count)
        _ = keys.initialize(from: names.map { n in
            var n = n
            return n.withUTF8 { NameKey(UnsafeRawBufferPointer($0)) }
        })
    }

    /// The number of the value written `bytes`, if it is one.
    @inline(__always)
    func index(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count <= 24 else { return nil }
        let key = NameKey(bytes)
        for i in keys.indices where keys[i] == key { return i }
        return nil
    }
}
