/// `covariate.defined` data (contract 4.1): one variable of the sample description, its kind,
/// labels, categories and bounds. The definition in force is the latest in log order.
public struct CovariateDefinition: Hashable, Sendable {
    public var name: String
    public var kind: CovariateKind
    public var label: String
    public var labelNl: String?
    /// For a `category` covariate: every code with its labels, by code (bytes); else empty.
    public var categories: [CovariateCategory]
    /// Bounds of an `integer` or `number` covariate, as JSON numbers.
    public var min: Double?
    public var max: Double?

    public init(name: String, kind: CovariateKind, label: String, labelNl: String? = nil, categories: [CovariateCategory] = [],
                min: Double? = nil, max: Double? = nil) {
        self.name = name
        self.kind = kind
        self.label = label
        self.labelNl = labelNl
        self.categories = categories.sorted { $0.code.utf8.lexicographicallyPrecedes($1.code.utf8) }
        self.min = min
        self.max = max
    }

    /// The names a covariate may not take: the columns `participants.csv` has of its own.
    public static let reservedNames: Set<String> = [
        "participant", "enrolled_on", "exited_on", "exit_reason", "events", "contacts", "referrals", "expectations", "experiences",
        "institutions_mentioned", "institutions_contacted", "age_band", "children_with_ex_partner", "abuse", "max_concurrent",
        "unnamed_contacts",
    ]

    /// True if `name` is `[a-z][a-z0-9_]{0,31}`.
    public static func isWellFormed(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...32).contains(bytes.count), (0x61...0x7A).contains(bytes[0]) else { return false }
        return bytes.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }

    /// Why `value` does not fit this definition, or `nil` if it does (contract 4.1).
    public func misfit(_ value: CovariateValue) -> String? {
        switch (kind, value) {
        case (.integer, .number(let text)):
            guard text.utf8.allSatisfy({ $0 == 0x2D || (0x30...0x39).contains($0) }) else {
                return "must be an integer written without fraction or exponent"
            }
            return outOfBounds(Double(text)!)
        case (.number, .number(let text)):
            return outOfBounds(Double(text)!)
        case (.boolean, .bool):
            return nil
        case (.category, .string(let code)):
            return categories.contains { $0.code == code } ? nil
                : "must be one of the categories of \(name): \(categories.map(\.code).joined(separator: ", "))"
        case (.text, .string):
            return nil
        default:
            return "must be \(kind.valueDescription)"
        }
    }

    private func outOfBounds(_ v: Double) -> String? {
        if let min, v < min { return "must be at least \(CovariateValue.plain(min))" }
        if let max, v > max { return "must be at most \(CovariateValue.plain(max))" }
        return nil
    }

    /// Why this definition may not replace `earlier`, or `nil` (contract 4.1: a redefinition
    /// keeps the kind and every category code, and may remove or widen the bounds only).
    public func misfitAsRedefinition(of earlier: CovariateDefinition) -> String? {
        if kind != earlier.kind { return "data.kind: a redefinition of \(name) must keep its kind \(earlier.kind.rawValue)" }
        let codes = Set(categories.map(\.code))
        if let lost = earlier.categories.first(where: { !codes.contains($0.code) }) {
            return "data.categories: a redefinition of \(name) must keep the category \"\(lost.code)\""
        }
        if let min {
            guard let old = earlier.min else { return "data.min: a redefinition of \(name) may not add a bound" }
            if min > old { return "data.min: a redefinition of \(name) may not narrow its bounds" }
        }
        if let max {
            guard let old = earlier.max else { return "data.max: a redefinition of \(name) may not add a bound" }
            if max < old { return "data.max: a redefinition of \(name) may not narrow its bounds" }
        }
        return nil
    }
}

/// The kinds of covariate.
public enum CovariateKind: String, NamedCases {
    public static let caseNames = CaseNameTable(allCases) { $0.rawValue }

    case integer, number, boolean, category, text

    var valueDescription: String {
        switch self {
        case .integer: "an integer"
        case .number: "a number"
        case .boolean: "true or false"
        case .category: "a category code (a string)"
        case .text: "a string"
        }
    }
}

/// One category of a `category` covariate.
public struct CovariateCategory: Hashable, Sendable {
    public var code: String
    public var label: String
    public var labelNl: String?

    public init(code: String, label: String, labelNl: String? = nil) {
        self.code = code
        self.label = label
        self.labelNl = labelNl
    }
}

/// A covariate's value in `participant.described`: a JSON number (as written), boolean or string.
public enum CovariateValue: Hashable, Sendable {
    case number(String)
    case bool(Bool)
    case string(String)

    /// The value as a dump writes it: numbers in plain decimal notation, booleans `true`/`false`.
    public var text: String {
        switch self {
        case .number(let written): Self.plain(written)
        case .bool(let b): b ? "true" : "false"
        case .string(let s): s
        }
    }

    /// A JSON number in plain decimal notation (no exponent): `1e3` -> `1000`, `2.50` -> `2.5`.
    static func plain(_ written: String) -> String {
        if !written.utf8.contains(where: { $0 == 0x65 || $0 == 0x45 || $0 == 0x2E }) { return written == "-0" ? "0" : written }
        return plain(Double(written)!)
    }

    /// `v` in plain decimal notation, the shortest that reads back as `v`.
    static func plain(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e18 { return String(Int64(v)) }
        let shortest = "\(v)"
        guard let e = shortest.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return shortest }
        // Expand the exponent by hand.
        let mantissa = String(shortest[..<e]), exponent = Int(shortest[shortest.index(after: e)...])!
        let negative = mantissa.hasPrefix("-")
        let digits = mantissa.filter(\.isNumber)
        let point = (mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) - (negative ? 1 : 0) } ?? digits.count) + exponent
        var out: String
        if point <= 0 {
            out = "0." + String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            out = digits + String(repeating: "0", count: point - digits.count)
        } else {
            out = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
        }
        while out.contains("."), out.hasSuffix("0") { out.removeLast() }
        if out.hasSuffix(".") { out.removeLast() }
        return (negative ? "-" : "") + out
    }
}

/// `participant.described` data: values of covariates for one participant.
public struct ParticipantDescription: Hashable, Sendable {
    /// Name -> value, by name (bytes).
    public var covariates: [(name: String, value: CovariateValue)]

    public init(covariates: [(name: String, value: CovariateValue)]) {
        self.covariates = covariates.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.covariates.count == b.covariates.count && zip(a.covariates, b.covariates).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for c in covariates {
            hasher.combine(c.name)
            hasher.combine(c.value)
        }
    }
}

/// `statement.defined` data (contract 4.1): a statement item of the questionnaires, its wording
/// and the other ids it has been written with.
public struct StatementDefinition: Hashable, Sendable {
    public var item: String
    public var label: String
    public var labelNl: String?
    public var aliases: [String]

    public init(item: String, label: String, labelNl: String? = nil, aliases: [String] = []) {
        self.item = item
        self.label = label
        self.labelNl = labelNl
        self.aliases = aliases
    }
}
