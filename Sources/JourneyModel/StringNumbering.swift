import Foundation

/// Small numbers 0, 1, 2, ... for distinct strings, in order of first appearance: institution
/// ids of one participant in the projections, pseudonyms of one import batch in the store.
///
/// An open-addressing table keyed by a fingerprint of each string's bytes, so that a lookup is a
/// few loads and, for a hit, one string comparison - cheaper than `Dictionary`, whose seeded
/// hashing of every key shows in profiles of the import and the projections (and comparing two
/// different Strings goes through the standard library's slow path, which the fingerprints spare).
public struct StringNumbering: Sendable {
    /// The distinct strings, by number (in order of first appearance).
    public private(set) var names: [String] = []
    /// Each name's `fingerprint`, by number.
    private var fingerprints: [UInt64] = []
    /// Number + 1 per slot; 0 for an empty slot. Never more than half full.
    private var slots: [Int32]

    /// A numbering with room for about `capacity` strings before it grows.
    public init(capacity: Int = 8) {
        slots = [Int32](repeating: 0, count: max(16, (2 * capacity).nextPowerOfTwo))
        names.reserveCapacity(capacity)
        fingerprints.reserveCapacity(capacity)
    }

    /// Forgets every number, keeping the table's room (for a numbering used again and again
    /// for sets of about the same size).
    public mutating func removeAll() {
        names.removeAll(keepingCapacity: true)
        fingerprints.removeAll(keepingCapacity: true)
        for i in slots.indices { slots[i] = 0 }
    }

    /// How many distinct strings have a number.
    public var count: Int { names.count }

    /// The number of `name`, given the next one if it is new.
    @discardableResult
    public mutating func number(_ name: String) -> Int {
        let print = Self.fingerprint(name)
        let (found, slot) = find(print) { $0 == name }
        if let found { return found }
        return add(name, print, slot: slot)
    }

    /// The number of the string whose UTF-8 bytes are `bytes`, given the next one if it is new;
    /// the String is made only for a new one.
    @discardableResult
    public mutating func number(bytes: UnsafeRawBufferPointer) -> Int {
        let print = ByteHash.hash(bytes)
        let (found, slot) = find(print) { name in
            name.utf8.withContiguousStorageIfAvailable { stored in
                stored.count == bytes.count && (bytes.isEmpty || memcmp(stored.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
            } ?? name.utf8.elementsEqual(bytes)
        }
        if let found { return found }
        return add(String(decoding: bytes, as: UTF8.self), print, slot: slot)
    }

    private mutating func add(_ name: String, _ print: UInt64, slot: Int) -> Int {
        let n = names.count
        names.append(name)
        fingerprints.append(print)
        slots[slot] = Int32(n + 1)
        if 2 * names.count > slots.count { grow() }
        return n
    }

    /// The number of `name` if it has one.
    public func existingNumber(_ name: String) -> Int? { find(Self.fingerprint(name)) { $0 == name }.found }

    /// True if `name` has a number.
    public func contains(_ name: String) -> Bool { existingNumber(name) != nil }

    /// The string numbered `number`.
    public func name(_ number: Int) -> String { names[number] }

    /// Each number's position in the byte order of the strings (for ASCII strings such as ids,
    /// `<` is byte order).
    public func ranks() -> [Int] {
        var rank = [Int](repeating: 0, count: names.count)
        for (position, n) in names.indices.sorted(by: { names[$0] < names[$1] }).enumerated() { rank[n] = position }
        return rank
    }

    /// The number of the name with fingerprint `print` for which `matches` holds, if it has
    /// one, and otherwise the empty slot where it goes.
    @inline(__always)
    private func find(_ print: UInt64, _ matches: (String) -> Bool) -> (found: Int?, slot: Int) {
        let mask = slots.count - 1
        var i = Self.home(print, slots: slots.count)
        while true {
            let entry = Int(slots[i])
            if entry == 0 { return (nil, i) }
            if fingerprints[entry - 1] == print && matches(names[entry - 1]) { return (entry - 1, i) }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: 2 * slots.count)
        let mask = slots.count - 1
        for (n, print) in fingerprints.enumerated() {
            var i = Self.home(print, slots: slots.count)
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = Int32(n + 1)
        }
    }

    /// The first slot to try for a fingerprint in a table of `slots` (a power of two) slots:
    /// its top bits, as many as the table needs.
    @inline(__always)
    private static func home(_ print: UInt64, slots: Int) -> Int {
        Int(truncatingIfNeeded: print >> UInt64(Int.bitWidth - slots.trailingZeroBitCount))
    }

    /// `ByteHash` of the string's UTF-8 bytes: equal strings have equal fingerprints.
    @inline(__always)
    static func fingerprint(_ s: String) -> UInt64 {
        // A native string's bytes are read in place; `withUTF8` on a copy retained and released
        // the string on every call.
        if let h = s.utf8.withContiguousStorageIfAvailable({ ByteHash.hash(UnsafeRawBufferPointer($0)) }) { return h }
        var s = s
        return s.withUTF8 { ByteHash.hash(UnsafeRawBufferPointer($0)) }
    }
}

extension Int {
    /// The smallest power of two at least `self` (1 for zero or less).
    fileprivate var nextPowerOfTwo: Int {
        self <= 1 ? 1 : 1 << (Int.bitWidth - (self - 1).leadingZeroBitCount)
    }
}
