import GRDB
import SQLSyntax

/// Statements of one migration that one online rebuild of `table` carries out together.
struct OnlineGroup: Sendable {
    var table: String
    /// Indexes into the script's statements, consecutive.
    var statements: [Int]
    var changes: [OnlineChange]
    var rows: Int
}

/// Decides which statements of a migration run as online rebuilds.
///
/// A statement qualifies when every action needs a table rebuild (or it is `CREATE INDEX
/// CONCURRENTLY`), its table is a rowid table with at least `minimumRows` rows, and no
/// earlier statement of the migration changed that table's schema (the shadow is built
/// from the table as it is before the migration). Consecutive qualifying statements on the
/// same table share one rebuild; a later one on the same table runs as a blocking rebuild.
enum OnlinePlanner {
    static func groups(_ statements: [ParsedStatement], db: Database, dialect: SQLiteDialect, minimumRows: Int) throws -> [OnlineGroup] {
        // Most files have no statement an online rebuild could carry out; they need no
        // catalog lookups (a dropped index's table is a scan of sqlite_schema).
        guard statements.contains(where: { mayRunOnline($0.statement) }) else { return [] }
        var groups: [OnlineGroup] = []
        var touched: Set<String> = []
        var rebuilt: Set<String> = []
        var openTable: String?
        for (i, parsed) in statements.enumerated() {
            if let (table, changes) = try candidate(parsed.statement, db: db), !touched.contains(table.lowercased()) {
                let key = table.lowercased()
                if openTable == key, !groups.isEmpty {
                    groups[groups.count - 1].statements.append(i)
                    groups[groups.count - 1].changes += changes
                    continue
                }
                if !rebuilt.contains(key), try isEligible(table, db: db) {
                    let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(dialect.quote(table))") ?? 0
                    if rows >= minimumRows {
                        groups.append(OnlineGroup(table: table, statements: [i], changes: changes, rows: rows))
                        rebuilt.insert(key)
                        openTable = key
                        continue
                    }
                }
            }
            openTable = nil
            touched.formUnion(try schemaTargets(parsed.statement, db: db))
        }
        return groups
    }

    /// Whether `statement` is of a kind `candidate` may accept, before any catalog lookup.
    static func mayRunOnline(_ statement: SQLStatement) -> Bool {
        switch statement {
        case .createIndex(let index): index.concurrently && index.name != nil
        case .alterTable: true
        default: false
        }
    }

    /// The table and changes if `statement` is one an online rebuild can carry out.
    static func candidate(_ statement: SQLStatement, db: Database) throws -> (String, [OnlineChange])? {
        guard mayRunOnline(statement) else { return nil }
        switch statement {
        case .createIndex(let index):
            return try SQLiteCatalog.tableExists(db, index.table.name) ? (index.table.name, [.index(index)]) : nil
        case .alterTable(let alter):
            let table = alter.table.name
            guard try SQLiteCatalog.tableExists(db, table) else { return nil }
            let columns = Set(try SQLiteCatalog.columnNames(db, table).map { $0.lowercased() })
            for action in alter.actions {
                guard SQLiteCapabilities().rebuildsTable(action) else { return nil }
                switch action {
                case .dropColumn(let name, _, _) where !columns.contains(name.lowercased()): return nil
                case .addColumn(let column, _) where columns.contains(column.name.lowercased()): return nil
                default: continue
                }
            }
            return (table, alter.actions.map { .alter($0) })
        default:
            return nil
        }
    }

    /// A rowid table (WITHOUT ROWID tables have no stable rowid to copy by).
    static func isEligible(_ table: String, db: Database) throws -> Bool {
        !(try SQLiteCatalog.createTable(db, table).isWithoutRowid)
    }

    /// Lowercased names of tables whose schema `statement` may change.
    static func schemaTargets(_ statement: SQLStatement, db: Database) throws -> Set<String> {
        switch statement {
        case .createTable(let table): return [table.name.name.lowercased()]
        case .dropTable(let drop): return Set(drop.names.map { $0.name.lowercased() })
        case .alterTable(let alter):
            var names: Set<String> = [alter.table.name.lowercased()]
            for case .renameTable(let to) in alter.actions { names.insert(to.lowercased()) }
            return names
        case .createIndex(let index): return [index.table.name.lowercased()]
        case .dropIndex(let drop):
            var names: Set<String> = []
            for name in drop.names {
                if let table = try String.fetchOne(
                    db, sql: "SELECT tbl_name FROM sqlite_schema WHERE type = 'index' AND name = ? COLLATE NOCASE", arguments: [name.name])
                {
                    names.insert(table.lowercased())
                }
            }
            return names
        case .truncate:
            return []
        case .other(let other):
            if ["INSERT", "UPDATE", "DELETE", "SELECT", "WITH", "REPLACE", "VALUES"].contains(other.kind) { return [] }
            return Set(other.tokens.compactMap { $0.identifierValue?.lowercased() })
        }
    }
}
