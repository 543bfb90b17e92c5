/// Where one dump table's rows go as the projections produce them: their CSV text to the CSV
/// file as it comes, their fields to the table's `RowSpool` for the other formats, which read it
/// afterwards on every core. Workers make each participant's rows in the forms needed (`form`).
final class TableOutput {
    let table: DumpTables.Table
    /// The forms the rows of this table are made in.
    let form: TableRows.Form
    private var csv: CSVTableSink?
    /// The rows kept for the formats that read them afterwards, if any was asked for.
    let spool: RowSpool?

    /// The output of `table` in the formats `formats`, its files in `directory`.
    init(_ table: DumpTables.Table, formats: [DumpFormat], directory: String) throws {
        self.table = table
        csv = formats.contains(.csv) ? try CSVTableSink(table, path: directory + "/" + table.file) : nil
        let afterwards = formats.contains { $0 != .csv }
        spool = afterwards ? try RowSpool(table, in: directory) : nil
        form = TableRows.Form(csv: csv != nil, fields: afterwards)
    }

    /// Hands `batch` (rows of this table, made in `form`) to every sink.
    func append(_ batch: TableRows) throws {
        guard batch.count > 0 else { return }
        try csv?.raw(batch.csv)
        try spool?.append(batch)
    }

    /// Finishes the CSV file, and the spool for the rest.
    func finish() throws {
        try csv?.finish()
        try spool?.finishWriting()
    }
}
