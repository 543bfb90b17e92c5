/// Small numbers for the distinct strings of one participant (institution ids, say): found by
/// comparison while they are few - comparing short strings is cheaper than hashing them - and
/// through a dictionary beyond that.
struct StringNumbering {
    /// The distinct strings, by number (in order of first appearance).
    private(set) var names: [String] = []
    private var numbers: [String: Int]?

    /// The number of `name`, given the next one if it is new.
    @discardableResult
    mutating func number(_ name: String) -> Int {
        if let n = existingNumber(name) { return n }
        names.append(name)
        if numbers != nil {
            numbers![name] = names.count - 1
        } else if names.count > 48 {
            numbers = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        }
        return names.count - 1
    }

    /// The number of `name` if it has one.
    func existingNumber(_ name: String) -> Int? {
        if let numbers { return numbers[name] }
        // Lengths first: for ids they mostly differ, and a length is at hand where comparing two
        // different strings goes through the standard library's slow path.
        let count = name.utf8.count
        return names.firstIndex { $0.utf8.count == count && $0 == name }
    }

    func contains(_ name: String) -> Bool { existingNumber(name) != nil }

    func name(_ number: Int) -> String { names[number] }

    /// Each number's position in the byte order of the strings (for ASCII strings such as ids,
    /// `<` is byte order).
    func ranks() -> [Int] {
        var rank = [Int](repeating: 0, count: names.count)
        for (position, n) in names.indices.sorted(by: { names[$0] < names[$1] }).enumerated() { rank[n] = position }
        return rank
    }
}
