/// Takes what a `CompactEvent` keeps from a record's `data`, by the members' `CompactRole`s, and
/// hands the texts a dump copies as written to `texts` (`MemberDeclaration.dumpText`, statement
/// items). Makes no String but for an institution id seen for the first time.
struct CompactDataSink<T: RecordTextSink>: DataSink, ~Copyable {
    static var makesStrings: Bool { false }

    /// Its type's members (`EventDeclaration.layout`).
    let layout: UnsafeMutableBufferPointer<MemberLayout>
    /// The record's JSON (for institution ids by their bytes).
    let bytes: UnsafeRawBufferPointer
    var event: CompactEvent
    /// The numbers of institution ids, and where the texts go: the caller's, for the walk.
    let numbers: UnsafeMutablePointer<InstitutionNumbers>
    let texts: UnsafeMutablePointer<T>

    @inline(__always)
    mutating func text(_ m: Int, _ token: JSONScanner.StringToken, _ value: String) {
        switch layout[m].compact {
        case .institution?: event.institution = number(token)
        case .counterpart?: event.counterpart = number(token)
        default: break
        }
        if let field = layout[m].dumpText { texts.pointee.text(field, token) }
    }

    @inline(__always)
    mutating func code(_ m: Int, _ index: Int, _ token: JSONScanner.StringToken) {
        switch layout[m].compact {
        case .outcome?: event.outcome = ReferralOutcome.caseNames.value(at: index)
        case .exitReason?: event.exitReason = ExitReason.caseNames.value(at: index)
        case .professional?: event.professional = ProfessionalGroup.caseNames.value(at: index)
        default: break
        }
        if let field = layout[m].dumpText { texts.pointee.text(field, token) }
    }

    @inline(__always)
    mutating func date(_ m: Int, _ date: CalendarDate) {
        if layout[m].compact == .day { event.day = date.daysSinceEpoch }
    }

    @inline(__always)
    mutating func score(_ m: Int, _ score: Int) {
        if layout[m].compact == .fulfilment { event.expectedFulfilment = Int8(score) }
    }

    @inline(__always)
    mutating func item(_ m: Int, _ name: Range<Int>, _ text: String, _ score: Int) { texts.pointee.item(name, score: score) }

    @inline(__always) mutating func beginList(_ m: Int, _ tag: ValueTag) {}
    @inline(__always) mutating func endList(_ m: Int, _ tag: ValueTag) {}
    @inline(__always) mutating func textElement(_ m: Int, _ token: JSONScanner.StringToken, _ value: String) {
        if let field = layout[m].dumpText { texts.pointee.text(field, token) }
    }
    @inline(__always) mutating func codeElement(_ m: Int, _ index: Int) {}
    @inline(__always) mutating func moment(_ m: Int, _ moment: Moment) {}
    @inline(__always) mutating func flag(_ m: Int, _ value: Bool) {}

    /// The number of the institution id (or referrer word) in `token`.
    @inline(__always)
    private func number(_ t: JSONScanner.StringToken) -> Int32 {
        t.hasEscapes ? numbers.pointee.number(JSONScanner(bytes).string(t))
            : numbers.pointee.number(bytes: UnsafeRawBufferPointer(rebasing: bytes[t.start..<t.end]))
    }
}
