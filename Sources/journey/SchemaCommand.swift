import ArgumentParser
import JourneyModel

/// `journey schema`: the event format as a JSON Schema, from the declarations the parser follows.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of an event line (Schemas/event.schema.json).",
        discussion: """
            The schema is generated from the same declarations that the import checks lines \
            against, so validators in other languages (Python's jsonschema, R's jsonvalidate) \
            accept what journey import accepts - apart from the rules that need the log \
            (duplicate ids, retraction targets) and the calendar validity of dates.
            """
    )

    func run() throws {
        print(EventSchemaDocument.text(), terminator: "")
    }
}
