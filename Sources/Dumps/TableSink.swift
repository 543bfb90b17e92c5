/// One format's writer of one dump table (CSV, JSON Lines, SQLite, SPSS, Stata): it receives
/// the table's rows as every format does (`RowSpool.feed`).
protocol TableSink {
    /// One row: a field per column, its text as the projections wrote it (empty: missing);
    /// the buffers are valid during the call only.
    mutating func row(_ fields: RowFields) throws
    /// Writes what is left and closes the output.
    mutating func finish() throws
}
