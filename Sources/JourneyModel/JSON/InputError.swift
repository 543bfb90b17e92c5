/// A problem found in one line of input: what is wrong, in words a person can act on.
///
/// Line numbers are added by whoever knows them (the importer); this carries the message only.
public struct InputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, e.g. `data.statements.trust: score 7 is out of range 0-5`.
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
