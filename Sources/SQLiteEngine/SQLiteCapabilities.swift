import SQLSyntax
import SchemaDiff
import SchemaModel

/// What SQLite does in place and what it rebuilds a table for: the one copy of that rule,
/// used by the planner (`EngineCapabilities`), the linter, `SQLiteStrategy` and
/// `OnlinePlanner`.
public struct SQLiteCapabilities: EngineCapabilities {
    /// SQLite's capabilities.
    public init() {}

    /// `SQLite`.
    public var displayName: String { "SQLite" }

    /// SQLite's ALTER TABLE renames, and adds a column when its restrictions allow
    /// (`SQLiteStrategy.canAddInPlace`); everything else rebuilds the table. DROP COLUMN
    /// counts as a rebuild: SQLite drops in place only a column no index or constraint
    /// uses, which depends on the table.
    public func rebuildsTable(_ action: AlterTableAction) -> Bool {
        switch action {
        case .renameTable, .renameColumn, .validateConstraint: false
        case .addColumn(let column, _): !SQLiteStrategy.canAddInPlace(column)
        case .alterColumnType, .setDefault, .dropDefault, .setNotNull, .dropNotNull, .addConstraint, .dropConstraint, .dropColumn: true
        }
    }

    /// Every type change rebuilds the table: SQLite has no ALTER COLUMN.
    public func typeChangeRewrites(from old: DataType?, to new: DataType) -> Bool { true }

    /// `SQLiteCost`.
    public func costs(of statements: [SQLStatement], sizes: [String: TableSize]) -> [StatementCost?] {
        SQLiteCost.costs(of: statements, sizes: sizes)
    }

    /// `multiple-rebuilds`.
    public var lintRules: [any LintRule] { [MultipleRebuildsRule()] }

    /// Views: a rebuild keeps the table's own triggers, but a view that names a dropped
    /// or retyped column must be written again.
    public var columnChangeDependents: Set<SchemaObject.Kind> { [.view] }

    /// `DROP TRIGGER name`.
    public var triggerDropNamesTable: Bool { false }

    /// Views and triggers: SQLite has no types, sequences, functions, policies or comments.
    public var objectKinds: Set<SchemaObject.Kind> { [.view, .trigger] }
}

/// `multiple-rebuilds`: a second rebuild of one table in a migration, after statements on
/// other tables, cannot share the first one's online copy, so it runs blocking.
struct MultipleRebuildsRule: LintRule {
    func check(_ context: LintContext) -> [LintFinding] {
        guard case .alterTable(let alter) = context.statement.statement, context.existing(alter.table.name) != nil,
            alter.actions.contains(where: context.engine.rebuildsTable)
        else { return [] }
        let key = alter.table.name.lowercased()
        guard let last = context.earlier.last, MigrationLinter.table(of: last.statement)?.lowercased() != key else { return [] }
        let rebuiltBefore = context.earlier.contains { parsed in
            guard case .alterTable(let earlier) = parsed.statement, earlier.table.name.lowercased() == key else { return false }
            return earlier.actions.contains(where: context.engine.rebuildsTable)
        }
        guard rebuiltBefore else { return [] }
        let table = alter.table.name
        return [
            context.warning(
                "multiple-rebuilds", "second rebuild of table \(table) in one migration, after changes to other tables; it runs blocking",
                fix: "put all changes to \(table) next to each other, or in separate migrations")
        ]
    }
}
