import CReadStat
import Foundation
import JourneyModel

/// One dump table's SPSS or Stata file (`StatisticalFile`), written row by row through ReadStat:
/// the variables and value labels are declared when it is made (from the table's columns and
/// the `Profile` of its rows), each row is inserted as it comes.
struct StatisticalTableSink: TableSink {
    private enum Column {
        /// `coded(k)`: the value's code is looked up in `codeTables[k]`.
        case text, longText, number32, number64, decimal, date, coded(Int)
    }

    private let table: DumpTables.Table
    private let kind: StatisticalFile.Kind
    private let path: String
    private let output: OutputFile
    private let handle: WriterHandle
    private var writer: UnsafeMutablePointer<readstat_writer_t> { handle.writer }
    /// A coded column's values by their bytes (a handful each: a scan beats hashing a String).
    private var codeTables: [[(bytes: [UInt8], code: Int32)]] = []
    private var columns: [Column] = []
    private var variables: [UnsafeMutablePointer<readstat_variable_t>] = []
    private var cString: [CChar] = []
    private var line = 1

    init(_ table: DumpTables.Table, profile: StatisticalFile.Profile, kind: StatisticalFile.Kind, labels: LabelLanguage,
         timestamp: Int, path: String) throws {
        self.table = table
        self.kind = kind
        self.path = path
        output = try OutputFile(path: path)
        guard let writer = readstat_writer_init() else { throw DumpError("\(path): ReadStat cannot start a writer") }
        handle = WriterHandle(writer)
        try check(readstat_set_data_writer(writer) { data, length, context in
            let file = Unmanaged<OutputFile>.fromOpaque(context!).takeUnretainedValue()
            do {
                try file.write(UnsafeRawBufferPointer(start: data, count: length))
                return length
            } catch {
                return -1
            }
        }, "data writer")
        try check(readstat_writer_set_file_label(writer, "JourneyStore dump: \(table.name)"), "file label")
        try check(readstat_writer_set_file_timestamp(writer, time_t(timestamp)), "file timestamp")
        if kind == .spss {
            try check(readstat_writer_set_compression(writer, READSTAT_COMPRESS_ROWS), "compression")
        } else {
            try check(readstat_writer_set_file_format_version(writer, 118), "format version")
        }

        var labelSets: [String: UnsafeMutablePointer<readstat_label_set_t>] = [:]
        for field in table.fields {
            guard let set = field.values, labelSets[set.name] == nil else { continue }
            guard let labelSet = readstat_add_label_set(writer, READSTAT_TYPE_INT32, set.name) else {
                throw DumpError("\(path): ReadStat cannot add the value labels \(set.name)")
            }
            for v in set.values { readstat_label_int32_value(labelSet, v.code, v.label(labels)) }
            labelSets[set.name] = labelSet
        }

        for (i, field) in table.fields.enumerated() {
            let column: Column
            let type: readstat_type_t
            var width = 0
            if let set = field.values {
                column = .coded(codeTables.count)
                codeTables.append(set.values.map { (Array($0.value.utf8), $0.code) })
                type = READSTAT_TYPE_INT32
            } else {
                switch field.type {
                case .string:
                    width = max(1, profile.widths[i])
                    if kind == .stata, width > 2045 {
                        column = .longText
                        type = READSTAT_TYPE_STRING_REF
                    } else {
                        guard width <= 32767 else { throw DumpError("\(path): column \(field.name) holds a value of \(width) bytes, more than SPSS allows") }
                        column = .text
                        type = READSTAT_TYPE_STRING
                    }
                case .integer:
                    column = profile.fitsInt32[i] ? .number32 : .number64
                    type = profile.fitsInt32[i] ? READSTAT_TYPE_INT32 : READSTAT_TYPE_DOUBLE
                case .number:
                    column = .decimal
                    type = READSTAT_TYPE_DOUBLE
                case .date:
                    column = .date
                    type = kind == .spss ? READSTAT_TYPE_DOUBLE : READSTAT_TYPE_INT32
                case .boolean:
                    preconditionFailure("booleans carry the boolean value set")
                }
            }
            guard let variable = readstat_add_variable(writer, StatisticalFile.variableName(field.name, kind), type, width) else {
                throw DumpError("\(path): ReadStat cannot add the variable \(field.name)")
            }
            readstat_variable_set_label(variable, field.label)
            if let set = field.values {
                readstat_variable_set_label_set(variable, labelSets[set.name])
                readstat_variable_set_measure(variable, READSTAT_MEASURE_NOMINAL)
            } else if field.type == .number {
                readstat_variable_set_measure(variable, READSTAT_MEASURE_SCALE)
                if kind == .spss { readstat_variable_set_format(variable, "F10.4") }
            } else if field.type == .integer {
                readstat_variable_set_measure(variable, READSTAT_MEASURE_SCALE)
                if kind == .spss { readstat_variable_set_format(variable, "F11.0") }
            } else if field.type == .date {
                readstat_variable_set_format(variable, kind == .spss ? "SDATE10" : "%td")
                readstat_variable_set_measure(variable, READSTAT_MEASURE_SCALE)
            } else {
                readstat_variable_set_measure(variable, READSTAT_MEASURE_NOMINAL)
            }
            columns.append(column)
            variables.append(variable)
        }

        let context = Unmanaged.passUnretained(output).toOpaque()
        switch kind {
        case .spss: try check(readstat_begin_writing_sav(writer, context, profile.rows), "begin")
        case .stata: try check(readstat_begin_writing_dta(writer, context, profile.rows), "begin")
        }
        try check(readstat_validate_metadata(writer), "metadata")
        for variable in variables { try check(readstat_validate_variable(writer, variable), "variable \(String(cString: readstat_variable_get_name(variable)))") }
    }

    private func check(_ error: readstat_error_t, _ what: String) throws {
        guard error == READSTAT_OK else {
            throw DumpError("\(path): \(what): \(String(cString: readstat_error_message(error)))")
        }
    }

    mutating func row(_ fields: RowFields) throws {
        line += 1
        try check(readstat_begin_row(writer), "row")
        for (i, field) in fields.enumerated() {
            let variable = variables[i]
            switch columns[i] {
            case .text, .longText:
                cString.removeAll(keepingCapacity: true)
                field.withMemoryRebound(to: CChar.self) { cString.append(contentsOf: $0) }
                cString.append(0)
                if case .longText = columns[i] {
                    try check(readstat_insert_string_ref(writer, variable, readstat_add_string_ref(writer, cString)), "value")
                } else {
                    try check(readstat_insert_string_value(writer, variable, cString), "value")
                }
            case _ where field.isEmpty:
                try check(readstat_insert_missing_value(writer, variable), "value")
            case .number32:
                try check(readstat_insert_int32_value(writer, variable, Int32(field.integer ?? 0)), "value")
            case .number64:
                try check(readstat_insert_double_value(writer, variable, Double(field.integer ?? 0)), "value")
            case .decimal:
                guard let value = Double(field.string) else { throw DumpError("\(path): row \(line - 1): \(field.string) is not a number") }
                try check(readstat_insert_double_value(writer, variable, value), "value")
            case .date:
                guard let days = StatisticalFile.isoDays(field) else { throw DumpError("\(path): row \(line - 1): \(field.string) is not a date") }
                if kind == .spss {
                    try check(readstat_insert_double_value(writer, variable, Double((days + StatisticalFile.spssEpochDays) * 86_400)), "value")
                } else {
                    try check(readstat_insert_int32_value(writer, variable, Int32(days + StatisticalFile.stataEpochDays)), "value")
                }
            case .coded(let k):
                guard let code = codeTables[k].first(where: { $0.bytes.elementsEqual(field) })?.code else {
                    throw DumpError("\(path): row \(line - 1): \(field.string) is not a value of \(table.fields[i].values?.name ?? "")")
                }
                try check(readstat_insert_int32_value(writer, variable, code), "value")
            }
        }
        try check(readstat_end_row(writer), "row")
    }

    mutating func finish() throws {
        try check(readstat_end_writing(writer), "end")
        try output.finish()
    }
}

/// Frees a ReadStat writer when the last copy of its sink is gone.
private final class WriterHandle {
    let writer: UnsafeMutablePointer<readstat_writer_t>
    init(_ writer: UnsafeMutablePointer<readstat_writer_t>) { self.writer = writer }
    deinit { readstat_writer_free(writer) }
}
