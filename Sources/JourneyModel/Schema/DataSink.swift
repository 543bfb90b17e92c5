/// Where one walk over a stored record's `data` (`Reader.walkData`) hands each member's value, by
/// member number of the type's `EventDeclaration`: a full event's values (`PayloadValues`), a
/// compact event with or without the texts a dump copies (`CompactDataSink`).
protocol DataSink: ~Copyable {
    /// True if the walk makes Strings of texts for the sink; false to hand their tokens only.
    static var makesStrings: Bool { get }
    /// An array or a statements object of member `m` begins (it may stay empty).
    mutating func beginList(_ m: Int, _ tag: ValueTag)
    /// The list of member `m` ends (every element handed).
    mutating func endList(_ m: Int, _ tag: ValueTag)
    /// A string member's value (an id, institution, referrer or text): its token, and its
    /// String if `makesStrings` (else "").
    mutating func text(_ m: Int, _ token: JSONScanner.StringToken, _ value: String)
    /// A code's number in its set, and its token.
    mutating func code(_ m: Int, _ index: Int, _ token: JSONScanner.StringToken)
    /// One string of an array: its token, and its String (`""` unless `makesStrings`).
    mutating func textElement(_ m: Int, _ token: JSONScanner.StringToken, _ value: String)
    /// One code of an array, by its number in its set.
    mutating func codeElement(_ m: Int, _ index: Int)
    mutating func date(_ m: Int, _ date: CalendarDate)
    /// A date-time (its text empty unless `makesStrings`).
    mutating func moment(_ m: Int, _ moment: Moment)
    mutating func score(_ m: Int, _ score: Int)
    mutating func flag(_ m: Int, _ value: Bool)
    /// One statement: the item's byte range in the record, its name (`""` unless
    /// `makesStrings`) and its score.
    mutating func item(_ m: Int, _ name: Range<Int>, _ text: String, _ score: Int)
}
