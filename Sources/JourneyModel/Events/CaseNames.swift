import Foundation

/// The names of an enum's cases as UTF-8 bytes, made once per type: the readers of events match
/// enum values and type names read from JSON against them without making a String. (Matching
/// through `allCases` and each case's `rawValue` cost about 300 instructions a value, in every
/// event the import parses and the projections decode.)
public struct CaseNameTable<Case: Sendable>: Sendable {
    private let cases: [Case]
    /// Every name's bytes, one after another; name `i` ends at `ends[i]`.
    private let bytes: [UInt8]
    private let ends: [Int]

    public init(_ cases: [Case], name: (Case) -> String) {
        self.cases = cases
        var bytes: [UInt8] = [], ends: [Int] = []
        for c in cases {
            bytes.append(contentsOf: name(c).utf8)
            ends.append(bytes.count)
        }
        self.bytes = bytes
        self.ends = ends
    }

    /// Case number `i`, in the order the table was made.
    @inline(__always)
    public func value(at i: Int) -> Case { cases[i] }

    /// The case whose name is exactly `name`, if any.
    public func match(_ name: UnsafeRawBufferPointer) -> Case? {
        let n = name.count
        return bytes.withUnsafeBytes { all -> Case? in
            var start = 0
            for (i, end) in ends.enumerated() {
                if end - start == n && (n == 0 || memcmp(all.baseAddress! + start, name.baseAddress!, n) == 0) { return cases[i] }
                start = end
            }
            return nil
        }
    }
}

/// An enum whose values are written in JSON by name, matched through a `CaseNameTable`.
public protocol NamedCases: CaseIterable, Sendable {
    /// The table of this type's names (made once: a `static let`).
    static var caseNames: CaseNameTable<Self> { get }
}

extension NamedCases where Self: RawRepresentable, RawValue == String {
    /// The case named by the UTF-8 `bytes` (its raw value), found without making a String.
    static func named(_ bytes: UnsafeRawBufferPointer) -> Self? { caseNames.match(bytes) }
}
