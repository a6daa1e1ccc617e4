import Foundation
import GRDB
import SQLSyntax

/// SQLite's generalized ALTER TABLE procedure, run inside the migration's transaction.
///
/// From https://www.sqlite.org/lang_altertable.html#otheralter ("Making Other Kinds Of
/// Table Schema Changes"), the 12 steps, with where each happens here:
///  1. disable foreign keys: done by the engine before BEGIN (a no-op inside a transaction);
///  2. start a transaction: the migration's own `BEGIN IMMEDIATE`;
///  3. remember the indexes, triggers and views of the table: `SQLiteCatalog.dependents`;
///  4. `CREATE TABLE new_X` in the desired form;
///  5. `INSERT INTO new_X SELECT ... FROM X`, copying `rowid` explicitly so rowids survive;
///  6. `DROP TABLE X`;
///  7. `ALTER TABLE new_X RENAME TO X`, with `legacy_alter_table=ON` so that views and
///     other tables' REFERENCES naming X are neither checked nor rewritten;
///  8. recreate the indexes and triggers (indexes on dropped columns go with them, as in
///     PostgreSQL), and restore the AUTOINCREMENT counter;
///  9. views are kept and re-checked: a view that no longer works fails the migration;
/// 10. `PRAGMA foreign_key_check`: done by the engine once the migration's statements ran;
/// 11. commit and 12. re-enable foreign keys: done by the engine.
///
/// This form holds the write lock for the whole copy; the online form is a separate
/// strategy behind the same seam (`SQLiteStrategy`).
struct TableRebuild {
    let table: String
    let transform: (CreateTable) throws -> TableTransform

    func run(_ db: Database, dialect: SQLiteDialect) throws {
        let old = try SQLiteCatalog.createTable(db, table)
        let tableName = old.name.name
        let change = try transform(old)
        let shadow = "_migrate_new_" + tableName
        let dependents = try SQLiteCatalog.dependents(db, of: tableName)
        let sequence = try SQLiteCatalog.sequence(db, tableName)

        do {
            var shadowTable = change.table
            shadowTable.name = QualifiedName(name: shadow)
            shadowTable.ifNotExists = false
            try db.execute(sql: dialect.rebuiltTable(shadowTable))

            let keepRowid = !old.isWithoutRowid && !change.table.isWithoutRowid && change.table.rowidAlias(dialect) == nil
            let columns = (keepRowid ? ["rowid"] : []) + change.copy.map { dialect.quote($0.column) }
            let values = (keepRowid ? ["rowid"] : []) + change.copy.map(\.expression)
            try db.execute(
                sql: """
                    INSERT INTO \(dialect.quote(shadow)) (\(columns.joined(separator: ", ")))
                    SELECT \(values.joined(separator: ", ")) FROM \(dialect.quote(tableName))
                    """)

            try db.execute(sql: "DROP TABLE \(dialect.quote(tableName))")
            try db.execute(sql: "PRAGMA legacy_alter_table = ON")
            defer { try? db.execute(sql: "PRAGMA legacy_alter_table = OFF") }
            try db.execute(sql: "ALTER TABLE \(dialect.quote(shadow)) RENAME TO \(dialect.quote(tableName))")

            for object in dependents where !uses(object, change.droppedColumns) {
                try db.execute(sql: object.sql)
            }
            if let sequence, change.table.hasAutoincrement {
                try SQLiteCatalog.restoreSequence(db, tableName, atLeast: sequence)
            }
            for view in try SQLiteCatalog.views(db) {
                do {
                    _ = try db.makeStatement(sql: "SELECT * FROM \(dialect.quote(view)) LIMIT 0")
                } catch let error as DatabaseError {
                    throw RebuildError("view \"\(view)\" would no longer work after this change: \(error.message ?? "\(error)")")
                }
            }
        } catch let error as DatabaseError {
            // Speak of the user's table, not of the shadow copy.
            let message = (error.message ?? "\(error)").replacingOccurrences(of: shadow, with: tableName)
            throw RebuildError(message)
        }
    }

    /// Whether an index or trigger mentions a column that the change drops.
    private func uses(_ object: SQLiteCatalog.SchemaObject, _ dropped: Set<String>) -> Bool {
        guard object.type == "index", !dropped.isEmpty,
            let statement = try? Parser.parse(object.sql).first?.statement,
            case .createIndex(let index) = statement
        else { return false }
        return !index.usedColumns.isDisjoint(with: dropped)
    }
}

extension CreateTable {
    var isWithoutRowid: Bool {
        options.contains { $0.uppercased().replacingOccurrences(of: " ", with: "") == "WITHOUTROWID" }
    }

    var hasAutoincrement: Bool {
        columns.contains { $0.constraints.contains { if case .primaryKey(_, _, true) = $0.kind { true } else { false } } }
    }

    /// The column that is an alias of the rowid, if any: SQLite makes one of a single-column
    /// primary key whose declared type is exactly `INTEGER` (not `INT`, not `INTEGER(8)`;
    /// https://www.sqlite.org/lang_createtable.html#rowid). A column the change rendered
    /// anew is judged by the type SQLite will be given.
    func rowidAlias(_ dialect: SQLiteDialect) -> ColumnDef? {
        func isInteger(_ column: ColumnDef) -> Bool {
            guard let type = column.type else { return false }
            let declared = column.source == nil ? dialect.render(type) : type.description
            return declared.uppercased() == "INTEGER"
        }
        guard !isWithoutRowid else { return nil }
        for column in columns where isInteger(column) {
            for constraint in column.constraints {
                if case .primaryKey(let descending, _, _) = constraint.kind, !descending { return column }
            }
        }
        for constraint in constraints {
            if case .primaryKey(let keys, _) = constraint.kind, keys.count == 1, let name = keys[0].expression.columnName,
                let column = columns.first(where: { $0.name.lowercased() == name.lowercased() }), isInteger(column)
            {
                return column
            }
        }
        return nil
    }
}
