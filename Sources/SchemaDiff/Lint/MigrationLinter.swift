import SQLSyntax
import SchemaModel

/// Lint of one migration file, in the spirit of squawk and strong_migrations: each
/// rule has a stable id and a fix. Warnings never block unless `--strict`.
///
/// Rules (all engines): `index-not-concurrent`, `add-column-not-null-without-default`,
/// `drop-column`, `narrowing-type`, `type-change-rewrites`, `drop-index-used-by-foreign-key`,
/// `rename-column-used-by-view`; SQLite: `multiple-rebuilds`. (The PostgreSQL engine adds
/// foreign keys and checks `NOT VALID` then validates them, and sets `lock_timeout` on
/// every lock it takes, so files need not.)
public struct MigrationLinter: Sendable {
    public enum Engine: String, Sendable {
        case sqlite, postgres
    }

    public var engine: Engine

    public init(engine: Engine) {
        self.engine = engine
    }

    /// Findings for `statements`, checked against the schema as it is before the file
    /// runs (tables created earlier in the same file count as new).
    public func findings(_ statements: [ParsedStatement], file: String, before: Schema) -> [LintFinding] {
        var state = SchemaInterpreter(before)
        var created: Set<String> = []
        var found: [LintFinding] = []
        var rebuilt: Set<String> = []
        var lastTable: String?

        for parsed in statements {
            func warn(_ rule: String, _ message: String, _ fix: String) {
                found.append(LintFinding(rule: rule, severity: .warning, file: file, location: parsed.location, message: message, fix: fix))
            }
            let schema = state.schema
            func existing(_ table: String) -> Table? {
                created.contains(table.lowercased()) ? nil : schema.table(table)
            }

            switch parsed.statement {
            case .createTable(let create):
                created.insert(create.name.name.lowercased())
            case .createIndex(let index):
                if !index.concurrently, existing(index.table.name) != nil {
                    warn("index-not-concurrent", "CREATE INDEX on existing table \(index.table.name) without CONCURRENTLY",
                         "write CREATE INDEX CONCURRENTLY so that writes go on while it builds")
                }
            case .dropIndex(let drop):
                for name in drop.names {
                    guard let (t, i) = schema.index(name.name) else { continue }
                    let table = schema.tables[t], index = table.indexes[i]
                    if !drop.concurrently, existing(table.name) != nil {
                        warn("index-not-concurrent", "DROP INDEX \(name.name) without CONCURRENTLY",
                             "write DROP INDEX CONCURRENTLY")
                    }
                    if index.unique, let user = foreignKey(using: index, of: table, in: schema) {
                        warn("drop-index-used-by-foreign-key",
                             "index \(name.name) is the unique key foreign key \(user) relies on",
                             "drop or change that foreign key first (on SQLite every write to the child table would fail with 'foreign key mismatch')")
                    }
                }
            case .alterTable(let alter):
                let table = alter.table.name
                var needsRebuild = false
                for action in alter.actions {
                    needsRebuild = needsRebuild || Self.rebuilds(action)
                    lint(action, table: table, alter: alter, existing: existing(table), schema: schema, warn: warn)
                }
                if engine == .sqlite, needsRebuild, existing(table) != nil {
                    let key = table.lowercased()
                    if rebuilt.contains(key), lastTable != key {
                        warn("multiple-rebuilds", "second rebuild of table \(table) in one migration, after changes to other tables; it runs blocking",
                             "put all changes to \(table) next to each other, or in separate migrations")
                    }
                    rebuilt.insert(key)
                }
            default:
                break
            }
            lastTable = Self.table(of: parsed.statement)?.lowercased()
            try? state.apply(parsed.statement)
        }
        return found
    }

    private func lint(
        _ action: AlterTableAction, table: String, alter: AlterTable, existing: Table?, schema: Schema,
        warn: (String, String, String) -> Void
    ) {
        switch action {
        case .addColumn(let column, _):
            if existing != nil, column.isNotNull, column.defaultValue == nil {
                warn("add-column-not-null-without-default", "ADD COLUMN \(table).\(column.name) NOT NULL without a DEFAULT fails if \(table) has rows",
                     "add it nullable, backfill it, then SET NOT NULL; or give it a DEFAULT")
            }
        case .dropColumn(let name, _, _):
            if existing?.column(name) != nil {
                warn("drop-column", "DROP COLUMN \(table).\(name) loses the column's data",
                     "make sure no code reads it any more, and keep a copy of the data if it may be needed")
            }
        case .alterColumnType(let name, let type, _, _):
            guard let old = existing?.column(name) else { return }
            let widening = TypeWidening.isWidening(from: old.type, to: type)
            if !widening {
                warn("narrowing-type", "ALTER COLUMN \(table).\(name) TYPE \(type) from \(old.type?.description ?? "no type") can fail on existing values or change them",
                     "check that every value fits first; a failing row rolls the migration back")
            }
            let cheap = widening && old.type?.portable == type.portable && [.varchar, .char, .decimal, .text].contains(type.portable)
            if !alter.concurrently, !cheap {
                warn("type-change-rewrites", "ALTER COLUMN \(table).\(name) TYPE rewrites every row of \(table)",
                     "add CONCURRENTLY at the end of the statement so that it runs online")
            }
        case .renameColumn(let from, _):
            for view in schema.objects where view.kind == .view {
                let words = Set((try? Lexer.tokenize(view.sql))?.compactMap { $0.identifierValue?.lowercased() } ?? [])
                if words.contains(table.lowercased()) && words.contains(from.lowercased()) {
                    warn("rename-column-used-by-view", "view \(view.name) uses \(table).\(from), which this renames",
                         "drop and recreate view \(view.name) with the new name in the same migration")
                }
            }
        default:
            break
        }
    }

    /// A foreign key (in any table) whose referenced columns are exactly the index's.
    private func foreignKey(using index: TableIndex, of table: Table, in schema: Schema) -> String? {
        let columns = index.keys.compactMap { $0.column?.lowercased() }
        guard columns.count == index.keys.count else { return nil }
        for other in schema.tables {
            for key in other.foreignKeys where key.referencedTable.lowercased() == table.name.lowercased() {
                let referenced = key.referencedColumns.isEmpty ? table.primaryKey?.columns ?? [] : key.referencedColumns
                if referenced.map({ $0.lowercased() }) == columns {
                    return "\(other.name).\(key.effectiveName(table: other.name))"
                }
            }
        }
        return nil
    }

    /// Whether SQLite needs to rebuild the table for the action.
    static func rebuilds(_ action: AlterTableAction) -> Bool {
        switch action {
        case .alterColumnType, .setDefault, .dropDefault, .setNotNull, .dropNotNull, .addConstraint, .dropConstraint, .dropColumn:
            true
        default:
            false
        }
    }

    static func table(of statement: SQLStatement) -> String? {
        switch statement {
        case .alterTable(let alter): alter.table.name
        case .createIndex(let index): index.table.name
        case .createTable(let create): create.name.name
        default: nil
        }
    }
}
