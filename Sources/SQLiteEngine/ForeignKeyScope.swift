import GRDB
import SQLSyntax

/// Which tables a migration's foreign key check must cover: those its statements change
/// and the tables that reference them, so that the check does not read the whole database
/// while the migration holds the write lock.
enum ForeignKeyScope {
    /// Lowercased table names, or nil when a statement could touch anything (check everything).
    static func tables(_ statements: [ParsedStatement], db: Database, skipping: Set<Int>) throws -> Set<String>? {
        var tables: Set<String> = []
        for (index, parsed) in statements.enumerated() where !skipping.contains(index) {
            switch parsed.statement {
            case .other(let other):
                guard let target = other.dataTarget?.lowercased() else {
                    if ["CREATE VIEW", "DROP VIEW", "CREATE TRIGGER", "DROP TRIGGER", "SELECT", "PRAGMA"].contains(other.kind) { continue }
                    return nil
                }
                tables.insert(target)
            case .truncate(let truncate):
                tables.formUnion(truncate.tables.map { $0.name.lowercased() })
            case .createTable, .createIndex:
                // A new table has no rows, and an index changes none: neither can break a
                // foreign key (a migration of only these checks nothing).
                continue
            default:
                tables.formUnion(try OnlinePlanner.schemaTargets(parsed.statement, db: db))
            }
        }
        return tables
    }

    /// The first few violations in `scope` (and the tables referencing it), worded; nil when none.
    static func violations(_ db: Database, scope: Set<String>?) throws -> String? {
        var rows: [Row] = []
        if scope?.isEmpty == true { return nil }
        if let scope {
            // The tables in scope and those whose foreign keys reference one, in one query
            // (not one per table: its cost grows with the database, once per migration).
            let names = scope.sorted()
            let marks = names.map { _ in "?" }.joined(separator: ", ")
            let tables = try String.fetchAll(
                db,
                sql: """
                    SELECT m.name FROM sqlite_schema m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND (lower(m.name) IN (\(marks))
                      OR EXISTS (SELECT 1 FROM pragma_foreign_key_list(m.name) f WHERE lower(f."table") IN (\(marks))))
                    ORDER BY m.name
                    """, arguments: StatementArguments(names + names))
            for table in tables {
                rows += try Row.fetchAll(db, sql: "PRAGMA foreign_key_check(\(SQLIdentifier.quote(table)))")
            }
        } else {
            rows = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
        }
        guard !rows.isEmpty else { return nil }
        let shown = rows.prefix(3).map { row -> String in
            let table: String = row[0]
            let rowid: Int64? = row[1]
            let parent: String = row[2]
            return "\(table) row \(rowid.map(String.init) ?? "?") references a missing row in \(parent)"
        }
        return "foreign key check failed (\(rows.count) violation\(rows.count == 1 ? "" : "s")): " + shown.joined(separator: "; ")
    }
}
