import JourneyModel

/// The current coding of every coded institution, and what follows from it.
public struct InstitutionDirectory: Sendable {
    /// Coding by institution id.
    public var codings: [String: InstitutionCoding] = [:]

    public init() {}

    /// `legal`, `help`, `both` or `uncoded`.
    public func chain(of institution: String) -> String {
        guard let c = codings[institution] else { return "uncoded" }
        return Taxonomy.shared.chain(of: c.categories)
    }

    /// `national`, `regional`, `mixed` or `uncoded`.
    public func levelClass(of institution: String) -> String {
        Taxonomy.levelClass(of: codings[institution]?.levels ?? [])
    }

    /// The coded name, if any.
    public func name(of institution: String) -> String? { codings[institution]?.name }

    /// The institution's kind from its current coding, if the coder gave one (contract 4.2).
    public func kind(of institution: String) -> InstitutionKind? { codings[institution]?.kind }

    /// The institutions whose current coding gives `kind`.
    public func institutions(of kind: InstitutionKind) -> Set<String> { Set(codings.filter { $0.value.kind == kind }.keys) }

    /// Taxonomy codes, sorted.
    public func categories(of institution: String) -> [String] { (codings[institution]?.categories ?? []).sorted() }

    /// Levels, sorted.
    public func levels(of institution: String) -> [String] { (codings[institution]?.levels ?? []).map(\.rawValue).sorted() }
}
