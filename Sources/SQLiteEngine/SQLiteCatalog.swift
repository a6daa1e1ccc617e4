import GRDB
import SQLSyntax

/// Reads what the rebuild and the strategies need from `sqlite_schema`.
enum SQLiteCatalog {
    struct SchemaObject {
        var type: String
        var name: String
        var tableName: String
        var sql: String
    }

    /// The parsed `CREATE TABLE` of `table`.
    static func createTable(_ db: Database, _ table: String) throws -> CreateTable {
        guard
            let sql = try String.fetchOne(
                db, sql: "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE", arguments: [table])
        else {
            throw RebuildError("table \"\(table)\" does not exist")
        }
        do {
            guard case .createTable(let create) = try Parser.parse(StatementSplitter.split(sql).first ?? StatementSource(text: "", tokens: [])) else {
                throw RebuildError("cannot read the definition of table \"\(table)\"")
            }
            return create
        } catch let error as SQLSyntaxError {
            throw RebuildError("cannot read the definition of table \"\(table)\" (\(error.message)); it must be rebuilt by hand")
        }
    }

    static func tableExists(_ db: Database, _ table: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE", arguments: [table])
            ?? false
    }

    /// Indexes (with SQL, so not the automatic ones) and triggers of `table`, in creation order.
    static func dependents(_ db: Database, of table: String) throws -> [SchemaObject] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT type, name, tbl_name, sql FROM sqlite_schema
                WHERE tbl_name = ? COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL
                ORDER BY rowid
                """, arguments: [table]
        ).map { SchemaObject(type: $0["type"], name: $0["name"], tableName: $0["tbl_name"], sql: $0["sql"]) }
    }

    /// Every user object with SQL (tables, indexes, views, triggers), in creation order.
    static func userObjects(_ db: Database) throws -> [SchemaObject] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT type, name, tbl_name, sql FROM sqlite_schema
                WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
                ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END, rowid
                """
        ).map { SchemaObject(type: $0["type"], name: $0["name"], tableName: $0["tbl_name"], sql: $0["sql"]) }
    }

    static func views(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE type = 'view' ORDER BY rowid")
    }

    /// The AUTOINCREMENT high-water mark of `table`, if it has one.
    static func sequence(_ db: Database, _ table: String) throws -> Int64? {
        guard try tableExists(db, "sqlite_sequence") else { return nil }
        return try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = ? COLLATE NOCASE", arguments: [table])
    }

    /// Sets `table`'s AUTOINCREMENT counter to `sequence` or its largest rowid, whichever is larger.
    static func restoreSequence(_ db: Database, _ table: String, atLeast sequence: Int64) throws {
        try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = ? COLLATE NOCASE", arguments: [table])
        try db.execute(
            sql: """
                INSERT INTO sqlite_sequence (name, seq)
                SELECT ?, max(?, coalesce((SELECT max(rowid) FROM \(SQLIdentifier.quote(table))), 0))
                """, arguments: [table, sequence])
    }

    /// Names of the columns of `table`, in order. (GRDB's `columns(in:)` does not escape
    /// a `"` in the table name; the table-valued pragma takes it as a bound value.)
    static func columnNames(_ db: Database, _ table: String) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT name FROM pragma_table_xinfo(?)", arguments: [table])
    }

    /// Lowercased names of the columns used by any index of `table`, automatic ones included.
    static func indexedColumns(_ db: Database, _ table: String) throws -> Set<String> {
        var columns: Set<String> = []
        for index in try String.fetchAll(db, sql: "SELECT name FROM pragma_index_list(?)", arguments: [table]) {
            let names = try String.fetchAll(db, sql: "SELECT name FROM pragma_index_info(?) WHERE name IS NOT NULL", arguments: [index])
            columns.formUnion(names.map { $0.lowercased() })
        }
        for object in try dependents(db, of: table) where object.type == "index" {
            if let statement = try? Parser.parse(object.sql).first?.statement, case .createIndex(let index) = statement {
                columns.formUnion(index.usedColumns)
            }
        }
        return columns
    }
}
