/// Where one dump table's rows go as the projections produce them. A dump of CSV alone gets
/// their CSV text, rendered on the workers, written to the file as it comes; any other dump keeps
/// their fields in the table's `RowSpool`, from which every format asked for - CSV included -
/// is written afterwards on every core (rendering each row twice on the workers and copying it
/// twice on the collecting thread cost more than the CSV task). `form` says which.
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
        let afterwards = formats.contains { $0 != .csv }
        csv = formats.contains(.csv) && !afterwards ? try CSVTableSink(table, path: directory + "/" + table.file) : nil
        spool = afterwards ? try RowSpool(table, in: directory) : nil
        form = TableRows.Form(csv: csv != nil, fields: afterwards)
    }

    /// Hands `batch` (rows of this table, made in `form`) to every sink.
    func append(_ batch: TableRows) throws {
        guard batch.count > 0 else { return }
        try csv?.raw(batch.csv)
        try spool?.append(batch)
    }

    /// Finishes the CSV file, or the spool.
    func finish() throws {
        try csv?.finish()
        try spool?.finishWriting()
    }
}
