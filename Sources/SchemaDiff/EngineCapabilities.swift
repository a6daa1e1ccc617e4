import SQLSyntax
import SchemaModel

/// What a database engine is and does, as the planner and the linter need to know it.
/// Each engine publishes its own (`SQLiteCapabilities`, `PostgresCapabilities`); nothing
/// outside an engine asks which engine it is by name.
public protocol EngineCapabilities: Sendable {
    /// The engine's name for people: `SQLite`, `PostgreSQL`.
    var displayName: String { get }

    /// Whether the engine carries out `action` by rebuilding the table (SQLite) rather than
    /// by editing the catalog in place (PostgreSQL's SET/DROP DEFAULT, DROP CONSTRAINT).
    func rebuildsTable(_ action: AlterTableAction) -> Bool

    /// Whether `ALTER COLUMN ... TYPE` from `old` to `new` rewrites every row.
    func typeChangeRewrites(from old: DataType?, to new: DataType) -> Bool

    /// Lint rules of this engine, run after the ones every engine shares
    /// (`MigrationLinter.commonRules`).
    var lintRules: [any LintRule] { get }
}
