/// Reading a dump field's text (as `TableRows` hands it to the sinks).
extension UnsafeBufferPointer<UInt8> {
    /// The field as a string.
    var string: String { String(decoding: self, as: UTF8.self) }

    /// The field as an integer, `nil` if it is empty or not a decimal integer.
    var integer: Int? {
        guard !isEmpty else { return nil }
        var value = 0, negative = false, i = 0
        if self[0] == UInt8(ascii: "-") { negative = true; i = 1 }
        guard i < count else { return nil }
        while i < count {
            let d = Int(self[i]) - 48
            guard d >= 0, d <= 9 else { return nil }
            value = value &* 10 &+ d
            i += 1
        }
        return negative ? -value : value
    }
}
