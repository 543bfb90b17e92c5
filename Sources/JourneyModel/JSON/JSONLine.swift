/// Builds one JSON object as a line of text, keys in the order they are added. Small and
/// deterministic, for the generator's millions of lines.
public struct JSONLine {
    public init() {}

    /// An event line's envelope, fields in the export's order; add `data` to finish it.
    public static func event(
        id: String, type: String, participant: String?, at: String, recorded: String? = nil, source: String, by: String? = nil
    ) -> JSONLine {
        var line = JSONLine()
        line.add("id", id)
        line.add("type", type)
        line.add("participant", participant)
        line.add("at", at)
        line.add("recorded", recorded)
        line.add("source", source)
        line.add("by", by)
        return line
    }

    private var text = "{"
    private var first = true

    private mutating func key(_ key: String) {
        if !first { text += "," }
        first = false
        text += "\"" + key + "\":"
    }

    /// Adds a string field; `nil` adds nothing.
    public mutating func add(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        text += JSONLine.quoted(value)
    }

    /// Adds an integer field.
    public mutating func add(_ name: String, _ value: Int) {
        key(name)
        text += String(value)
    }

    /// Adds a boolean field.
    public mutating func add(_ name: String, _ value: Bool) {
        key(name)
        text += value ? "true" : "false"
    }

    /// Adds an array of strings.
    public mutating func add(_ name: String, _ values: [String]) {
        key(name)
        text += "[" + values.map(JSONLine.quoted).joined(separator: ",") + "]"
    }

    /// Adds a nested object.
    public mutating func add(_ name: String, object: JSONLine) {
        key(name)
        text += object.line
    }

    /// Adds an object of integer scores.
    public mutating func add(_ name: String, scores: [(String, Int)]) {
        var object = JSONLine()
        for (item, score) in scores { object.add(item, score) }
        add(name, object: object)
    }

    /// The object's text.
    public var line: String { text + "}" }

    /// `s` as a JSON string.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if c.value < 0x20 { out += "\\u00" + String(c.value, radix: 16).leftPadded(2) } else { out.unicodeScalars.append(c) }
            }
        }
        return out + "\""
    }
}

extension String {
    /// The string padded on the left to `width` characters.
    public func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

extension JSONLine {
    /// An `institution.coded` line, or with `consensus` an `institution.agreed` one (contract 4.1).
    public static func coding(id: String, institution: String, name: String, categories: [String], levels: [String], kind: String?,
                              reason: String?, at: String, by: String?, consensus: Bool = false) -> String {
        var line = JSONLine.event(id: id, type: consensus ? EventType.institutionAgreed.name : EventType.institutionCoded.name, participant: nil,
                                  at: at, source: "manual", by: by)
        var data = JSONLine()
        data.add("institution", institution)
        data.add("name", name)
        data.add("categories", categories)
        data.add("levels", levels)
        data.add("reason", reason)
        data.add("kind", kind)
        line.add("data", object: data)
        return line.line
    }
}
