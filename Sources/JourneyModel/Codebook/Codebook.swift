/// The codebooks in the log (contract 4.1): the covariate and statement-item definitions in
/// force, folded in log order. The importer checks each new event against it (`misfit`) before
/// appending, then applies it; the projections fold the projected log's definitions and resolve
/// statement aliases with it.
public struct Codebook: Sendable, Equatable {
    /// Each covariate's definition in force, by name.
    public private(set) var covariates: [String: CovariateDefinition] = [:]
    /// Each statement item's definition in force, by item id.
    public private(set) var statements: [String: StatementDefinition] = [:]
    /// Alias -> the item it belongs to.
    public private(set) var itemOfAlias: [String: String] = [:]

    public init() {}

    /// True if the event's type is a codebook definition (kept in the store's list of them).
    public static func isDefinition(_ type: EventType) -> Bool { type == .covariateDefined || type == .statementDefined }

    /// True if an event of `type` is checked against the codebook: definitions, descriptions,
    /// and - once an item is defined - expectations and experiences.
    public func checks(_ type: EventType) -> Bool {
        switch type {
        case .covariateDefined, .statementDefined, .participantDescribed: true
        case .expectation, .experience: !statements.isEmpty
        default: false
        }
    }

    /// Why `payload` may not follow the definitions so far (contract 4.1), or `nil`.
    public func misfit(_ payload: EventPayload) -> String? {
        switch payload {
        case .covariateDefined(let c):
            if let earlier = covariates[c.name] { return c.misfitAsRedefinition(of: earlier) }
        case .described(let d):
            for (name, value) in d.covariates {
                guard let definition = covariates[name] else {
                    return "data.covariates.\(name): no covariate \"\(name)\" is defined earlier in the log (covariate.defined)"
                }
                if let why = definition.misfit(value) { return "data.covariates.\(name): \(why)" }
            }
        case .statementDefined(let s):
            if let owner = itemOfAlias[s.item] {
                return "data.item: \"\(s.item)\" is an alias of the item \"\(owner)\" and cannot be defined as an item"
            }
            var seen: Set<String> = []
            for alias in s.aliases {
                if alias == s.item { return "data.aliases: \"\(alias)\" is the item itself" }
                if statements[alias] != nil { return "data.aliases: \"\(alias)\" is a defined item and cannot be an alias" }
                if let owner = itemOfAlias[alias], owner != s.item {
                    return "data.aliases: \"\(alias)\" is already an alias of the item \"\(owner)\""
                }
                seen.insert(alias)
            }
            if let earlier = statements[s.item], let lost = earlier.aliases.first(where: { !seen.contains($0) }) {
                return "data.aliases: a redefinition of \"\(s.item)\" must keep the alias \"\(lost)\""
            }
        case .expectation(let e):
            return misfit(e.statements)
        case .experience(let x):
            return misfit(x.statements)
        default:
            break
        }
        return nil
    }

    private func misfit(_ scores: [StatementScore]) -> String? {
        guard !statements.isEmpty else { return nil }
        var items: [String: String] = [:]
        for s in scores {
            guard let item = resolve(s.item) else {
                return "data.statements.\(s.item): not a defined statement item or alias (statement.defined)"
            }
            if let other = items.updateValue(s.item, forKey: item) {
                return "data.statements: \"\(other)\" and \"\(s.item)\" are ids of one item, \"\(item)\""
            }
        }
        return nil
    }

    /// The item `id` stands for: itself if defined, the item it is an alias of, else `nil`.
    public func resolve(_ id: String) -> String? {
        if statements[id] != nil { return id }
        return itemOfAlias[id]
    }

    /// `id` with its alias resolved (contract 4.1); an id the codebook does not know stays as is.
    public func resolved(_ id: String) -> String { itemOfAlias[id] ?? id }

    /// Takes a definition into force (events of other types change nothing).
    public mutating func apply(_ payload: EventPayload) {
        switch payload {
        case .covariateDefined(let c):
            covariates[c.name] = c
        case .statementDefined(let s):
            statements[s.item] = s
            for alias in s.aliases { itemOfAlias[alias] = s.item }
        default:
            break
        }
    }

    /// The covariates in force, by name (bytes).
    public var covariatesByName: [CovariateDefinition] {
        covariates.values.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }
}
