/// `Schemas/event.schema.json`, the event format as a JSON Schema (2020-12), generated from the
/// declarations (`EventSchema`) and the coding scheme (`Taxonomy`): `journey schema` prints it,
/// and a test checks that the file in the repository is this text.
public enum EventSchemaDocument {
    /// The schema, as `journey schema` prints it (two-space indents, a final line end).
    public static func text(taxonomy: Taxonomy = .shared) -> String {
        var out = ""
        document(taxonomy: taxonomy).write(to: &out, indent: 0)
        return out + "\n"
    }

    static func document(taxonomy: Taxonomy) -> Node {
        let envelope: [(String, Node)] = [
            ("id", ref("eventId")),
            ("type", .enumeration(EventType.allCases.map(\.name))),
            ("participant", nullable(ref("participant"))),
            ("at", .object([("anyOf", .array([ref("date"), ref("dateTime")]))])),
            ("recorded", nullable(ref("dateTime"))),
            ("source", .enumeration(EventSource.allCases.map(\.rawValue))),
            ("by", nullable(.object([("type", .string("string"))]))),
            ("data", .object([("type", .string("object"))])),
            ("seq", storeField), ("appended", storeField), ("hash", storeField),
        ]
        let rules: [Node] = EventSchema.all.map { d in
            var then: [(String, Node)] = [("data", ref(definitionName(d.type)))]
            switch d.participant {
            case .required: then.append(("participant", ref("participant")))
            case .absent: then.append(("participant", .object([("type", .string("null"))])))
            case .asTarget: break
            }
            if d.atIsDateTime { then.append(("at", ref("dateTime"))) }
            var rule: [(String, Node)] = [("properties", .object(then))]
            if d.participant == .required { rule.append(("required", .strings(["participant"]))) }
            return .object([
                ("if", .object([("properties", .object([("type", .object([("const", .string(d.type.name))]))])),
                                ("required", .strings(["type"]))])),
                ("then", .object(rule)),
            ])
        }
        let identifier = "A-Za-z0-9._-"
        var definitions: [(String, Node)] = [
            ("eventId", pattern("^[\(identifier.dropLast()):-]{1,128}$")),
            ("participant", pattern("^[\(identifier)]{1,64}$")),
            ("institutionId", .object([("type", .string("string")), ("pattern", .string("^[\(identifier)]{1,64}$")),
                                       ("not", .enumeration([Referrer.selfInitiative, Referrer.network]))])),
            ("referrer", .object([("type", .string("string")), ("pattern", .string("^[\(identifier)]{1,64}$")),
                                  ("description", .string("an institution id, or self (own initiative) or network (family, friends, peers)"))])),
            ("date", .object([("type", .string("string")), ("format", .string("date")), ("pattern", .string("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))])),
            ("dateTime", .object([("type", .string("string")), ("format", .string("date-time")),
                                  ("pattern", .string(#"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"#))])),
            ("score", score),
            ("statements", .object([("type", .string("object")), ("additionalProperties", score)])),
            ("taxonomyCode", .enumeration(taxonomy.categories.map(\.code))),
        ]
        for d in EventSchema.all {
            var data: [(String, Node)] = [("type", .string("object")), ("additionalProperties", .bool(false))]
            if let description = d.description { data.append(("description", .string(description))) }
            data.append(("properties", .object(d.members.map { m in
                var value = node(m.kind)
                if let description = m.description, case .object(var members) = value {
                    members.append(("description", .string(description)))
                    value = .object(members)
                }
                return (m.name, m.isRequired ? value : nullable(value))
            })))
            data.append(("required", .strings(d.members.filter(\.isRequired).map(\.name))))
            if !d.oneOf.isEmpty {
                // At least one of them present and not null.
                data.append(("anyOf", .array(d.oneOf.map { name in
                    .object([("required", .strings([name])), ("properties", .object([(name, .object([("not", .object([("type", .string("null"))]))]))]))])
                })))
            }
            definitions.append((definitionName(d.type), .object(data)))
        }
        return .object([
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("$id", .string("https://journeystore.example/schemas/event.schema.json")),
            ("title", .string("JourneyStore event (one JSON Lines line)")),
            ("description", .string("The envelope (contract 1.1) and the data of every event type (contract 1.2). Rules that need the log (duplicate ids, retraction targets, a retraction's participant) and calendar validity of dates are checked by `journey import`, not by this schema. Store fields (seq, appended, hash) are accepted and ignored on import.")),
            ("type", .string("object")),
            ("additionalProperties", .bool(false)),
            ("required", .strings(["id", "type", "at", "source", "data"])),
            ("properties", .object(envelope)),
            ("allOf", .array(rules)),
            ("$defs", .object(definitions)),
        ])
    }

    /// The schema of a value of `kind`.
    static func node(_ kind: ValueKind) -> Node {
        switch kind {
        case .identifier(let max, let colon):
            max == 128 && colon ? ref("eventId") : pattern("^[A-Za-z0-9._\(colon ? ":" : "")-]{1,\(max)}$")
        case .institution: ref("institutionId")
        case .referrer: ref("referrer")
        case .text: .object([("type", .string("string"))])
        case .code(let set): .enumeration(set.names)
        case .codes(let set, let nonEmpty): list(.enumeration(set.names), nonEmpty: nonEmpty, unique: true)
        case .categories: list(ref("taxonomyCode"), nonEmpty: true, unique: true)
        case .texts: list(.object([("type", .string("string"))]), nonEmpty: false, unique: false)
        case .date: ref("date")
        case .dateTime: ref("dateTime")
        case .score: ref("score")
        case .flag: .object([("type", .string("boolean"))])
        case .statements: ref("statements")
        case .covariateName:
            .object([("type", .string("string")), ("pattern", .string("^[a-z][a-z0-9_]{0,31}$")),
                     ("not", .enumeration(CovariateDefinition.reservedNames.sorted()))])
        case .number: .object([("type", .string("number"))])
        case .uniqueTexts: list(.object([("type", .string("string"))]), nonEmpty: false, unique: true)
        case .categoryLabels:
            .object([("type", .string("object")), ("minProperties", .number(1)), ("additionalProperties", .object([
                ("type", .string("object")), ("additionalProperties", .bool(false)),
                ("properties", .object([("label", .object([("type", .string("string"))])), ("labelNl", .object([("type", .string("string"))]))])),
                ("required", .strings(["label"])),
            ]))])
        case .textMap:
            .object([("type", .string("object")), ("minProperties", .number(1)), ("additionalProperties", .object([("type", .string("string"))]))])
        case .covariateValues:
            .object([("type", .string("object")), ("minProperties", .number(1)), ("additionalProperties", .object([
                ("type", .array([.string("number"), .string("boolean"), .string("string")])),
            ]))])
        }
    }

    /// `participant.enrolled` -> `participantEnrolledData`.
    static func definitionName(_ type: EventType) -> String {
        let parts = type.name.split(separator: ".")
        return parts.enumerated().map { i, p in i == 0 ? String(p) : p.prefix(1).uppercased() + p.dropFirst() }.joined() + "Data"
    }

    private static func ref(_ name: String) -> Node { .object([("$ref", .string("#/$defs/" + name))]) }
    private static func nullable(_ node: Node) -> Node { .object([("anyOf", .array([node, .object([("type", .string("null"))])]))]) }
    private static func pattern(_ p: String) -> Node { .object([("type", .string("string")), ("pattern", .string(p))]) }
    private static let score = Node.object([("type", .string("integer")), ("minimum", .number(0)), ("maximum", .number(5))])
    private static let storeField = Node.object([("description", .string("store field, ignored on import"))])

    private static func list(_ items: Node, nonEmpty: Bool, unique: Bool) -> Node {
        var members: [(String, Node)] = [("type", .string("array"))]
        if nonEmpty { members.append(("minItems", .number(1))) }
        if unique { members.append(("uniqueItems", .bool(true))) }
        members.append(("items", items))
        return .object(members)
    }

    /// A JSON value with its members in the order written.
    indirect enum Node {
        case object([(String, Node)])
        case array([Node])
        case string(String)
        case number(Int)
        case bool(Bool)

        static func strings(_ values: [String]) -> Node { .array(values.map { .string($0) }) }
        static func enumeration(_ values: [String]) -> Node { .object([("enum", strings(values))]) }

        /// Written as Python's `json.dumps(indent=2)` writes it (for ASCII texts, as the schema's are).
        func write(to out: inout String, indent: Int) {
            let inner = String(repeating: " ", count: indent + 2)
            switch self {
            case .object(let members) where members.isEmpty: out += "{}"
            case .array(let items) where items.isEmpty: out += "[]"
            case .object(let members):
                out += "{\n"
                for (i, (name, value)) in members.enumerated() {
                    out += inner
                    Node.string(name).write(to: &out, indent: 0)
                    out += ": "
                    value.write(to: &out, indent: indent + 2)
                    out += i + 1 < members.count ? ",\n" : "\n"
                }
                out += String(repeating: " ", count: indent) + "}"
            case .array(let items):
                out += "[\n"
                for (i, value) in items.enumerated() {
                    out += inner
                    value.write(to: &out, indent: indent + 2)
                    out += i + 1 < items.count ? ",\n" : "\n"
                }
                out += String(repeating: " ", count: indent) + "]"
            case .string(let s): out += JSONLine.quoted(s)
            case .number(let n): out += String(n)
            case .bool(let b): out += b ? "true" : "false"
            }
        }
    }
}
