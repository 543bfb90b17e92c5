/// The values of one record's `data` members, by member number, as the readers found them: what
/// an `EventDeclaration` makes its payload from. Accessors of required members give an empty
/// value where the member is missing (the readers check required members before `make`).
public struct PayloadValues: ~Copyable {
    /// The most members a type may declare.
    static let capacity = 12

    enum Value {
        case absent
        case text(String)
        case texts([String])
        case code(Int)
        case codes([Int])
        case date(CalendarDate)
        indirect case moment(Moment)  // boxed: the rare large value keeps every slot small
        case score(Int)
        case flag(Bool)
        case statements([StatementScore])
        indirect case json(JSONValue)
    }

    private var values = InlineArray<12, Value> { _ in .absent }

    init() {}

    // MARK: - Taking, for the declarations' `make` (each value moved out, not copied)

    /// Member `m`'s value, leaving it absent.
    @inline(__always)
    private mutating func take(_ m: Int) -> Value {
        var out = Value.absent
        swap(&out, &values[m])
        return out
    }

    mutating func text(_ m: Int) -> String { textIfPresent(m) ?? "" }

    mutating func textIfPresent(_ m: Int) -> String? {
        if case .text(let s) = take(m) { return s }
        return nil
    }

    mutating func texts(_ m: Int) -> [String] { textsIfPresent(m) ?? [] }

    mutating func textsIfPresent(_ m: Int) -> [String]? {
        if case .texts(let s) = take(m) { return s }
        return nil
    }

    mutating func code<E: NamedCases>(_ m: Int, _: E.Type = E.self) -> E? {
        if case .code(let i) = take(m) { return E.caseNames.value(at: i) }
        return nil
    }

    mutating func codes<E: NamedCases>(_ m: Int, _: E.Type = E.self) -> [E] {
        if case .codes(let list) = take(m) { return list.map { E.caseNames.value(at: $0) } }
        return []
    }

    mutating func date(_ m: Int) -> CalendarDate {
        if case .date(let d) = take(m) { return d }
        return CalendarDate(daysSinceEpoch: 0)
    }

    mutating func moment(_ m: Int) -> Moment { momentIfPresent(m) ?? Self.noMoment }

    private static let noMoment = Moment("1970-01-01")!

    mutating func momentIfPresent(_ m: Int) -> Moment? {
        if case .moment(let v) = take(m) { return v }
        return nil
    }

    mutating func scoreIfPresent(_ m: Int) -> Int? {
        if case .score(let v) = take(m) { return v }
        return nil
    }

    mutating func flagIfPresent(_ m: Int) -> Bool? {
        if case .flag(let v) = take(m) { return v }
        return nil
    }

    mutating func statements(_ m: Int) -> [StatementScore] {
        if case .statements(let v) = take(m) { return v }
        return []
    }

    mutating func json(_ m: Int) -> JSONValue? {
        if case .json(let v) = take(m) { return v }
        return nil
    }

    mutating func number(_ m: Int) -> Double? { textIfPresent(m).flatMap(Double.init) }

    // MARK: - Filling

    mutating func set(_ m: Int, _ value: consuming Value) { values[m] = value }

    /// The list being read (`beginList` ... `endList`), kept apart from the values so that its
    /// elements are appended in place.
    private var texts: [String] = []
    private var codes: [Int] = []
    private var items: [StatementScore] = []
}

extension PayloadValues: DataSink {
    static var makesStrings: Bool { true }

    mutating func beginList(_ m: Int, _ tag: ValueTag) {
        switch tag {
        case .codes: codes = []
        case .statements: items = []; items.reserveCapacity(4)  // questionnaires ask a few items
        default: texts = []
        }
    }
    mutating func endList(_ m: Int, _ tag: ValueTag) {
        switch tag {
        case .codes: set(m, .codes(codes)); codes = []
        case .statements: set(m, .statements(items)); items = []
        default: set(m, .texts(texts)); texts = []
        }
    }
    mutating func text(_ m: Int, _ token: JSONScanner.StringToken, _ value: String) { set(m, .text(value)) }
    mutating func code(_ m: Int, _ index: Int, _ token: JSONScanner.StringToken) { set(m, .code(index)) }
    mutating func textElement(_ m: Int, _ token: JSONScanner.StringToken, _ value: String) { texts.append(value) }
    mutating func codeElement(_ m: Int, _ index: Int) { codes.append(index) }
    mutating func date(_ m: Int, _ date: CalendarDate) { set(m, .date(date)) }
    mutating func moment(_ m: Int, _ moment: Moment) { set(m, .moment(moment)) }
    mutating func score(_ m: Int, _ score: Int) { set(m, .score(score)) }
    mutating func flag(_ m: Int, _ value: Bool) { set(m, .flag(value)) }
    mutating func item(_ m: Int, _ name: Range<Int>, _ text: String, _ score: Int) {
        items.append(StatementScore(item: text, score: score))
    }
}
