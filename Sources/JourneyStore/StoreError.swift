/// A problem with the store itself (not with one input line), said so that a person can act.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What went wrong and what to do about it.
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
