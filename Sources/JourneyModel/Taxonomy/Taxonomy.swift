import Foundation

/// The coding scheme for organisations (contract 1.3), loaded from `Schemas/taxonomy.json`.
public struct Taxonomy: Sendable {
    /// One taxonomy category.
    public struct Category: Sendable, Decodable, Hashable {
        public let code: String
        /// `legal` or `help`.
        public let chain: String
        /// The study's number for it (1-13).
        public let number: Int
        public let en: String
        public let nl: String
    }

    /// A professional group (contract 4.3) and its chain.
    public struct Professional: Sendable, Decodable, Hashable {
        public let code: String
        /// `legal`, `help` or `both`.
        public let chain: String
        public let en: String
        public let nl: String
    }

    /// A labelled code (a chain or a level).
    public struct Label: Sendable, Decodable, Hashable {
        public let code: String
        public let en: String
        public let nl: String
    }

    /// Categories in the scheme's order.
    public let categories: [Category]
    public let chains: [Label]
    public let levels: [Label]
    /// The kinds of organisation (contract 4.2), in the contract's order.
    public let kinds: [Label]
    /// The professional groups (contract 4.3), in the contract's order.
    public let professionals: [Professional]
    /// The values of a contact's or referral's `for` (contract 4.1).
    public let forWhom: [Label]
    private let byCode: [String: Category]

    private struct File: Decodable {
        let chains: [Label]
        let categories: [Category]
        let levels: [Label]
        let kinds: [Label]
        let professionals: [Professional]
        let `for`: [Label]
    }

    /// The taxonomy shipped with the program.
    public static let shared: Taxonomy = {
        do {
            return try Taxonomy(json: Data(PackageResources.taxonomy_json))
        } catch {
            // The file is compiled into the binary and checked by the tests; this cannot depend on input.
            preconditionFailure("embedded Schemas/taxonomy.json is invalid: \(error)")
        }
    }()

    /// Decodes a taxonomy in the format of `Schemas/taxonomy.json`.
    public init(json: Data) throws {
        let file = try JSONDecoder().decode(File.self, from: json)
        categories = file.categories
        chains = file.chains
        levels = file.levels
        kinds = file.kinds
        professionals = file.professionals
        forWhom = file.for
        byCode = Dictionary(file.categories.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The category with `code`, or `nil` if it is not a taxonomy code.
    public func category(_ code: String) -> Category? { byCode[code] }

    /// An institution's chain from its categories: `legal`, `help`, `both`; `uncoded` for none.
    public func chain(of categories: [String]) -> String {
        var legal = false
        var help = false
        for code in categories {
            switch byCode[code]?.chain {
            case "legal": legal = true
            case "help": help = true
            default: break
            }
        }
        switch (legal, help) {
        case (true, true): return "both"
        case (true, false): return "legal"
        case (false, true): return "help"
        case (false, false): return "uncoded"
        }
    }

    /// An institution's level class: `national`, `regional`, `mixed`; `uncoded` for no levels.
    public static func levelClass(of levels: [InstitutionLevel]) -> String {
        if levels.isEmpty { return "uncoded" }
        let national = levels.contains(.national)
        let sub = levels.contains(.regional) || levels.contains(.local)
        if national && sub { return "mixed" }
        return national ? "national" : "regional"
    }
}
