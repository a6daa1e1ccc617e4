import GRDB
import SQLSyntax
import SchemaDiff

/// How the SQLite engine runs one parsed statement: in place when SQLite can, else by
/// rebuilding the table. Chosen against the live schema at the moment the statement runs.
struct SQLiteStrategy {
    enum Step {
        case execute(String)
        case rebuild(TableRebuild, summary: String)
        case skip(String)
    }

    /// What each strategy holds on SQLite.
    static func lock(_ strategy: Strategy) -> String {
        switch strategy {
        case .noOp: return "none"
        case .instant: return "write lock, schema edit only (instant)"
        case .rebuild: return "write lock for the whole table copy (blocking rebuild)"
        default: return "write lock while the statement runs"
        }
    }

    /// The heaviest of the statement's actions.
    var kind: Strategy
    var steps: [Step]

    var sql: [String] {
        steps.map { step in
            switch step {
            case .execute(let sql): return sql
            case .rebuild(_, let summary): return summary
            case .skip(let reason): return "-- \(reason)"
            }
        }
    }

    /// Decides the strategy for `statement` against the current schema of `db`.
    static func choose(for statement: SQLStatement, in db: Database, dialect: SQLiteDialect) throws -> SQLiteStrategy {
        switch statement {
        case .createTable(let table):
            return SQLiteStrategy(kind: .native, steps: [.execute(dialect.createTable(table))])
        case .dropTable(let drop):
            return SQLiteStrategy(kind: .native, steps: drop.names.map { .execute(dialect.dropTable($0, ifExists: drop.ifExists)) })
        case .createIndex(let index):
            return SQLiteStrategy(kind: .native, steps: [.execute(dialect.createIndex(index))])
        case .dropIndex(let drop):
            return SQLiteStrategy(
                kind: .native,
                steps: drop.names.map {
                    .execute(dialect.dropIndex(DropIndex(names: [$0], concurrently: false, ifExists: drop.ifExists)))
                })
        case .truncate(let truncate):
            return SQLiteStrategy(kind: .native, steps: truncate.tables.map { .execute("DELETE FROM \(dialect.quote($0))") })
        case .other(let passThrough):
            return SQLiteStrategy(kind: .native, steps: [.execute(dialect.renderTokens(passThrough.tokens))])
        case .alterTable(let alter):
            var result = SQLiteStrategy(kind: .noOp, steps: [])
            for action in alter.actions {
                let (kind, step) = try choose(for: action, of: alter, in: db, dialect: dialect)
                result.kind = max(result.kind, kind)
                result.steps.append(step)
            }
            return result
        }
    }

    private static func choose(for action: AlterTableAction, of alter: AlterTable, in db: Database, dialect: SQLiteDialect) throws -> (Strategy, Step)
    {
        let table = alter.table
        switch action {
        case .renameTable(let to):
            return (.instant, .execute(dialect.renameTable(table, to: to)))
        case .renameColumn(let from, let to):
            return (.instant, .execute(dialect.renameColumn(table, from: from, to: to)))
        case .validateConstraint(let name):
            return (.noOp, .skip("SQLite constraints are always validated; nothing to do for \(name)"))
        case .addColumn(let column, let ifNotExists):
            if ifNotExists, try SQLiteCatalog.columnNames(db, table.name).contains(where: { $0.lowercased() == column.name.lowercased() }) {
                return (.noOp, .skip("column \(column.name) already exists"))
            }
            if !SQLiteCapabilities().rebuildsTable(action) {
                return (.instant, .execute(dialect.addColumn(table, column)))
            }
        case .dropColumn(let name, let ifExists, _):
            let columns = try SQLiteCatalog.columnNames(db, table.name)
            guard columns.contains(where: { $0.lowercased() == name.lowercased() }) else {
                if ifExists { return (.noOp, .skip("column \(name) does not exist")) }
                throw RebuildError("column \"\(name)\" of table \"\(table.name)\" does not exist")
            }
            if try canDropInPlace(name, of: table.name, in: db) {
                return (.native, .execute(dialect.dropColumn(table, name)))
            }
        default:
            break
        }
        // What is left rebuilds the table (`SQLiteCapabilities.rebuildsTable`).
        let rebuild = TableRebuild(table: table.name) { try TableTransform.apply(action, to: $0, dialect: dialect) }
        return (.rebuild, .rebuild(rebuild, summary: "-- rebuild table \(dialect.quote(table)): \(describe(action, dialect))"))
    }

    /// SQLite's own ADD COLUMN restrictions (https://www.sqlite.org/lang_altertable.html#altertabaddcol).
    static func canAddInPlace(_ column: ColumnDef) -> Bool {
        var hasNonNullDefault = false
        for constraint in column.constraints {
            switch constraint.kind {
            case .primaryKey, .unique: return false
            case .generated(_, let stored) where stored: return false
            case .default(let e):
                let tokens = e.tokens
                let isConstant =
                    tokens.count == 1 && [.string, .number].contains(tokens[0].kind)
                    || tokens.count == 2 && (tokens[0].isSymbol("-") || tokens[0].isSymbol("+")) && tokens[1].kind == .number
                    || tokens.count == 1 && ["NULL", "TRUE", "FALSE"].contains(tokens[0].text.uppercased())
                if !isConstant { return false }
                hasNonNullDefault = !tokens[0].isWord("NULL")
            default: break
            }
        }
        return !column.isNotNull || hasNonNullDefault
    }

    /// SQLite refuses DROP COLUMN on a column used by an index or a table constraint; those
    /// go through a rebuild, which drops them along with the column as PostgreSQL does.
    static func canDropInPlace(_ column: String, of table: String, in db: Database) throws -> Bool {
        let key = column.lowercased()
        if try SQLiteCatalog.indexedColumns(db, table).contains(key) { return false }
        let create = try SQLiteCatalog.createTable(db, table)
        if create.constraints.contains(where: { $0.columns.contains(key) }) { return false }
        if let def = create.columns.first(where: { $0.name.lowercased() == key }) {
            return !def.constraints.contains { constraint in
                switch constraint.kind {
                case .primaryKey, .unique, .references, .check: return true
                default: return false
                }
            }
        }
        return true
    }

    private static func describe(_ action: AlterTableAction, _ dialect: SQLiteDialect) -> String {
        switch action {
        case .addColumn(let column, _): return "add column \(dialect.columnDefinition(column))"
        case .dropColumn(let name, _, _): return "drop column \(dialect.quote(name))"
        case .alterColumnType(let column, let type, _, let using):
            return "column \(dialect.quote(column)) to type \(dialect.render(type))" + (using.map { " using \(dialect.render($0))" } ?? "")
        case .setDefault(let column, let e): return "column \(dialect.quote(column)) set default \(dialect.render(e))"
        case .dropDefault(let column): return "column \(dialect.quote(column)) drop default"
        case .setNotNull(let column): return "column \(dialect.quote(column)) set not null"
        case .dropNotNull(let column): return "column \(dialect.quote(column)) drop not null"
        case .addConstraint(let constraint): return "add \(dialect.tableConstraint(constraint))"
        case .dropConstraint(let name, _, _): return "drop constraint \(dialect.quote(name))"
        case .renameColumn, .renameTable, .validateConstraint: return "\(action)"
        }
    }
}
