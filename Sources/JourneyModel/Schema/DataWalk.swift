import Foundation

extension Reader {
    /// One walk over a stored record's `data` object by its type's declaration: each member's
    /// value read by its kind and handed to `sink`. False at the first byte not in the stored
    /// form, a member the type does not declare, a repeated member, or a required one missing -
    /// the caller then parses in full with `EventParser`, which names the fault.
    @inline(__always)
    mutating func walkData<S: DataSink & ~Copyable>(_ d: EventDeclaration, into sink: inout S) -> Bool {
        guard take(0x7B) else { return false }
        var seen: UInt32 = 0
        var ok = true
        var first = true
        var next = 0
        while let k = key(first: first, ok: &ok) {
            first = false
            guard let m = d.member(k, expected: next) else { return false }
            next = m + 1
            let bit = UInt32(1) << UInt32(m)
            guard seen & bit == 0, value(d, m, into: &sink) else { return false }
            seen |= bit
        }
        return ok && d.isComplete(present: seen)
    }

    /// Member `m`'s value, read by its kind.
    @inline(__always)
    private mutating func value<S: DataSink & ~Copyable>(_ d: EventDeclaration, _ m: Int, into sink: inout S) -> Bool {
        let tag = d.layout[m].tag
        switch tag {
        case .identifier, .institution, .referrer, .text:
            guard let t = token() else { return false }
            if tag == .institution && isReferrerWord(t) { return false }
            sink.text(m, t, S.makesStrings ? (tag == .identifier ? uniqueText(t) : text(t)) : "")
        case .code:
            guard let t = token(), let index = codeIndex(d, m, t) else { return false }
            sink.code(m, index, t)
        case .codes:
            guard take(0x5B) else { return false }
            sink.beginList(m, tag)
            if !take(0x5D) {
                repeat {
                    guard let t = token(), let index = codeIndex(d, m, t) else { return false }
                    sink.codeElement(m, index)
                } while take(0x2C)
                guard take(0x5D) else { return false }
            }
            sink.endList(m, tag)
        case .categories, .texts:
            guard take(0x5B) else { return false }
            sink.beginList(m, tag)
            if !take(0x5D) {
                repeat {
                    guard let t = token() else { return false }
                    sink.textElement(m, t, S.makesStrings ? text(t) : "")
                } while take(0x2C)
                guard take(0x5D) else { return false }
            }
            sink.endList(m, tag)
        case .date:
            guard let t = token(), !t.hasEscapes, t.count == 10,
                  let date = CalendarDate(parsing: UnsafeRawBufferPointer(rebasing: bytes[t.start..<t.end])) else { return false }
            sink.date(m, date)
        case .dateTime:
            guard let t = token(), !t.hasEscapes else { return false }
            let raw = UnsafeRawBufferPointer(rebasing: bytes[t.start..<t.end])
            guard let moment = Moment(parsing: raw, text: S.makesStrings ? table.string(raw) : "", dateTimeOnly: true) else { return false }
            sink.moment(m, moment)
        case .score:
            guard let score = score() else { return false }
            sink.score(m, score)
        case .flag:
            guard let flag = bool() else { return false }
            sink.flag(m, flag)
        case .statements:
            guard take(0x7B) else { return false }
            sink.beginList(m, tag)
            var ok = true
            var first = true
            while let name = key(first: first, ok: &ok) {
                first = false
                guard let score = score() else { return false }
                let start = name.baseAddress! - bytes.baseAddress!
                sink.item(m, start..<(start + name.count), S.makesStrings ? table.string(name) : "", score)
            }
            guard ok else { return false }
            sink.endList(m, tag)
        case .covariateName, .number, .uniqueTexts, .categoryLabels, .covariateValues, .textMap:
            return false  // read by the strict parser
        }
        return true
    }

    /// The text of a token, its repeats shared through the intern table.
    @inline(__always)
    func text(_ t: JSONScanner.StringToken) -> String {
        if t.hasEscapes { return JSONScanner(bytes).string(t) }  // only strings the strict scanner accepted are stored
        return table.string(UnsafeRawBufferPointer(rebasing: bytes[t.start..<t.end]))
    }

    /// The text of a token, made without the intern table (unique values such as event ids).
    @inline(__always)
    func uniqueText(_ t: JSONScanner.StringToken) -> String {
        if t.hasEscapes { return JSONScanner(bytes).string(t) }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[t.start..<t.end]), as: UTF8.self)
    }

    /// True if the token's text is `self` or `network`.
    @inline(__always)
    func isReferrerWord(_ t: JSONScanner.StringToken) -> Bool {
        if t.hasEscapes { return !Referrer.isInstitution(JSONScanner(bytes).string(t)) }
        guard t.count == 4 || t.count == 7 else { return false }
        let key = NameKey(UnsafeRawBufferPointer(rebasing: bytes[t.start..<t.end]))
        return key == Self.selfKey || key == Self.networkKey
    }

    private static let selfKey = NameKey(UnsafeRawBufferPointer(start: ("self" as StaticString).utf8Start, count: 4))
    private static let networkKey = NameKey(UnsafeRawBufferPointer(start: ("network" as StaticString).utf8Start, count: 7))

    /// The number of the token's text in member `m`'s set of codes.
    @inline(__always)
    func codeIndex(_ d: EventDeclaration, _ m: Int, _ t: JSONScanner.StringToken) -> Int? {
        if t.hasEscapes { return d.codeSets[m]?.index(JSONScanner(bytes).string(t)) }
        return d.code(m, UnsafeRawBufferPointer(rebasing: bytes[t.start..<t.end]))
    }
}
