import Foundation
import GRDB
import GRDBSQLite

/// Writes a dump's tables into one SQLite database: typed columns, primary and foreign keys,
/// and the data dictionary as tables of their own (`dump_tables`, `data_dictionary`,
/// `value_labels`). Dates are ISO 8601 text, booleans 0 and 1.
enum SQLiteDump {
    static func write(tables: [RowSpool], to path: String) throws {
        var configuration = Configuration()
        // The rows come from one consistent projection; enforcing the keys row by row would cost a
        // lookup per key and row. tools/check_dump.py runs PRAGMA foreign_key_check on the result.
        configuration.foreignKeysEnabled = false
        configuration.prepareDatabase { db in
            // A fresh file, deleted if anything fails: no journal, no syncs. A 128 MB page cache
            // keeps the primary-key indexes (inserted in random order) in memory, and pages of
            // 16 KiB make fewer, fuller ones (BENCHMARKS.md).
            try db.execute(sql: "PRAGMA page_size = 16384; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -131072")
        }
        // Made here with mode 0600, so SQLite opens a private file (and would give a journal the same mode).
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DumpError("\(path): cannot create the SQLite database: \(String(cString: strerror(errno)))") }
        close(fd)
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw DumpError("\(path): cannot create the SQLite database: \(error)")
        }
        do {
            try queue.inDatabase { db in
                try db.execute(sql: "BEGIN")
                try createDictionary(db, tables: tables.map(\.table))
                for spool in tables {
                    let table = spool.table
                    try db.execute(sql: createStatement(table))
                    var inserter = try TableInserter(table, db)
                    try spool.feed(&inserter)
                    try db.execute(sql: "INSERT INTO dump_tables VALUES (?, ?, ?)", arguments: [table.name, table.description, inserter.rows])
                }
                try db.execute(sql: "COMMIT")
            }
            try queue.close()
            guard chmod(path, 0o600) == 0 else { throw DumpError("\(path): cannot set mode 0600") }
        } catch let error as DumpError {
            throw error
        } catch {
            throw DumpError("\(path): \(error)")
        }
    }

    /// `CREATE TABLE` for one dump table.
    static func createStatement(_ table: DumpTables.Table) -> String {
        var lines = table.fields.map { field -> String in
            var line = "\(quoted(field.name)) \(sqlType(field.type))"
            if table.primaryKey.contains(field.name) { line += " NOT NULL" }
            if field.type == .boolean { line += " CHECK (\(quoted(field.name)) IN (0, 1))" }
            return line
        }
        if !table.primaryKey.isEmpty {
            lines.append("PRIMARY KEY (\(table.primaryKey.map(quoted).joined(separator: ", ")))")
        }
        for key in table.foreignKeys {
            lines.append("FOREIGN KEY (\(key.fields.map(quoted).joined(separator: ", "))) REFERENCES \(quoted(key.table)) (\(key.reference.map(quoted).joined(separator: ", ")))")
        }
        return "CREATE TABLE \(quoted(table.name)) (\n  " + lines.joined(separator: ",\n  ") + "\n)"
    }

    private static func sqlType(_ type: DumpTables.FieldType) -> String {
        switch type {
        case .string, .date: "TEXT"
        case .integer, .boolean: "INTEGER"
        case .number: "REAL"
        }
    }

    private static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// Inserts a table's rows, binding their bytes straight to the prepared statement (the
    /// buffers stay valid until the row is stepped).
    struct TableInserter: TableSink {
        private let db: Database
        private let statement: Statement
        private let types: [DumpTables.FieldType]
        private let name: String
        private(set) var rows = 0

        init(_ table: DumpTables.Table, _ db: Database) throws {
            let placeholders = Array(repeating: "?", count: table.fields.count).joined(separator: ", ")
            statement = try db.makeStatement(sql: "INSERT INTO \(quoted(table.name)) VALUES (\(placeholders))")
            types = table.fields.map(\.type)
            name = table.name
            self.db = db
        }

        mutating func row(_ fields: RowFields) throws {
            let handle = statement.sqliteStatement
            sqlite3_reset(handle)
            for (i, field) in fields.enumerated() {
                let column = Int32(i + 1)
                if field.isEmpty {
                    sqlite3_bind_null(handle, column)
                    continue
                }
                switch types[i] {
                case .string, .date:
                    sqlite3_bind_text(handle, column, UnsafeRawPointer(field.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(field.count), nil)
                case .integer:
                    sqlite3_bind_int64(handle, column, Int64(field.integer ?? 0))
                case .number:
                    sqlite3_bind_double(handle, column, Double(field.string) ?? .nan)
                case .boolean:
                    sqlite3_bind_int64(handle, column, field.count == 4 ? 1 : 0)
                }
            }
            let code = sqlite3_step(handle)
            guard code == SQLITE_DONE else {
                throw DumpError("\(DumpFormat.sqliteFile): table \(name), row \(rows + 1): SQLite cannot insert the row: \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
            }
            rows += 1
        }

        mutating func finish() throws {}
    }

    private static func createDictionary(_ db: Database, tables: [DumpTables.Table]) throws {
        try db.execute(sql: """
            CREATE TABLE dump_tables (
              table_name TEXT NOT NULL PRIMARY KEY,
              description TEXT NOT NULL,
              row_count INTEGER NOT NULL
            );
            CREATE TABLE value_labels (
              value_set TEXT NOT NULL,
              value TEXT NOT NULL,
              code INTEGER NOT NULL,
              label_en TEXT NOT NULL,
              label_nl TEXT,
              PRIMARY KEY (value_set, value)
            );
            CREATE TABLE data_dictionary (
              table_name TEXT NOT NULL,
              position INTEGER NOT NULL,
              column_name TEXT NOT NULL,
              type TEXT NOT NULL,
              description TEXT NOT NULL,
              value_set TEXT,
              PRIMARY KEY (table_name, column_name)
            )
            """)
        for set in ValueSet.all {
            for v in set.values {
                try db.execute(sql: "INSERT INTO value_labels VALUES (?, ?, ?, ?, ?)", arguments: [set.name, v.value, Int(v.code), v.en, v.nl])
            }
        }
        for table in tables {
            for (i, field) in table.fields.enumerated() {
                try db.execute(
                    sql: "INSERT INTO data_dictionary VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [table.name, i + 1, field.name, field.type.rawValue, field.description, field.values?.name]
                )
            }
        }
    }
}
