import Foundation

/// Rendering CSV fields straight into a byte buffer, without intermediate arrays or strings.
extension Array where Element == UInt8 {
    /// A text field, quoted if it holds a comma, quote, CR or LF; `nil` is a missing value.
    /// Every field but a row's first is preceded by a comma.
    mutating func csvField(_ value: String?, first: Bool = false) {
        if !first { append(UInt8(ascii: ",")) }
        guard var value else { return }
        value.withUTF8 { csvText($0) }
    }

    /// A text field given as its UTF-8 bytes, as `csvField(_:first:)`.
    mutating func csvField(bytes value: ArraySlice<UInt8>?) {
        append(UInt8(ascii: ","))
        value?.withUnsafeBufferPointer { csvText($0) }
    }

    /// A text field given as its UTF-8 bytes (empty: missing), as `csvField(_:first:)`.
    mutating func csvField(text value: UnsafeBufferPointer<UInt8>, first: Bool) {
        if !first { append(UInt8(ascii: ",")) }
        csvText(value)
    }

    /// A text's bytes, quoted (quotes doubled) if they hold a comma, quote, CR or LF.
    mutating func csvText(_ bytes: UnsafeBufferPointer<UInt8>) {
        if !Self.needsQuotes(bytes) {
            append(contentsOf: bytes)
            return
        }
        append(0x22)
        for b in bytes {
            if b == 0x22 { append(0x22) }
            append(b)
        }
        append(0x22)
    }

    /// True if `bytes` hold a comma, a quote or a line end; eight bytes at a time.
    @inline(__always)
    static func needsQuotes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let n = bytes.count
        let ones: UInt64 = 0x0101_0101_0101_0101
        @inline(__always) func has(_ v: UInt64, _ c: UInt64) -> Bool {
            let x = v ^ (ones &* c)
            return (x &- ones) & ~x & (ones &* 0x80) != 0
        }
        var i = 0
        while i + 8 <= n {
            let v = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            if has(v, 0x2C) || has(v, 0x22) || has(v, 0x0A) || has(v, 0x0D) { return true }
            i += 8
        }
        while i < n {
            let b = base[i]
            if b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D { return true }
            i += 1
        }
        return false
    }

    /// An integer field (missing when `nil`).
    mutating func csvField(_ value: Int?) {
        append(UInt8(ascii: ","))
        guard let value else { return }
        csvDigits(value)
    }

    /// The decimal digits of `value`.
    mutating func csvDigits(_ value: Int) {
        // Written backwards into a stack buffer (divisions by the constant 10 become multiplications).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var v = value.magnitude, i = 20
            repeat {
                i -= 1
                buffer[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            } while v > 0
            if value < 0 { append(UInt8(ascii: "-")) }
            append(contentsOf: UnsafeBufferPointer(rebasing: buffer[i..<20]))
        }
    }

    /// A decimal field with at most `decimals` decimals and no trailing zeros (missing when `nil`).
    mutating func csvField(_ value: Double?, decimals: Int) {
        append(UInt8(ascii: ","))
        guard let value else { return }
        csvDecimal(value, decimals: decimals)
    }

    /// `value` with at most `decimals` decimals and no trailing zeros.
    mutating func csvDecimal(_ value: Double, decimals: Int) {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        var text = String(scaled.magnitude)
        if decimals > 0 {
            if text.count <= decimals { text = String(repeating: "0", count: decimals - text.count + 1) + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -decimals))
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        if scaled < 0 { append(UInt8(ascii: "-")) }
        append(contentsOf: text.utf8)
    }

    /// A boolean field: true or false.
    mutating func csvField(_ value: Bool) {
        append(contentsOf: value ? csvTrue : csvFalse)
    }

    /// Ends the row with CRLF.
    mutating func csvEnd() {
        append(0x0D)
        append(0x0A)
    }
}

/// The boolean fields with their separator, made once (not an array per field).
private let csvTrue = Array(",true".utf8)
private let csvFalse = Array(",false".utf8)
