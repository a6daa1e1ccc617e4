import SQLSyntax
import SchemaDiff
import SchemaModel

/// What PostgreSQL changes in place, as the planner and the linter need to know it.
///
/// It has no lint rules of its own: the engine itself adds foreign keys and checks
/// `NOT VALID` and validates them apart, and bounds every lock with `lock_timeout`, so a
/// file that does neither is not worth a warning.
public struct PostgresCapabilities: EngineCapabilities {
    /// PostgreSQL's capabilities.
    public init() {}

    /// `PostgreSQL`.
    public var displayName: String { "PostgreSQL" }

    /// Never: PostgreSQL's ALTER TABLE edits the catalog, and the type changes that rewrite
    /// are `typeChangeRewrites`.
    public func rebuildsTable(_ action: AlterTableAction) -> Bool { false }

    /// Unless PostgreSQL can keep the rows as they are (`TypeCoercion.isBinaryCoercible`:
    /// a longer varchar, varchar to text, more numeric digits).
    public func typeChangeRewrites(from old: DataType?, to new: DataType) -> Bool {
        guard let old else { return true }
        let dialect = PostgresDialect()
        return !TypeCoercion.isBinaryCoercible(from: dialect.render(old), to: dialect.render(new))
    }

    /// None (see above).
    public var lintRules: [any LintRule] { [] }

    /// PostgreSQL refuses to retype or drop a column a view, materialized view, policy or
    /// trigger uses.
    public var columnChangeDependents: Set<SchemaObject.Kind> { [.view, .materializedView, .policy, .trigger] }

    /// `DROP TRIGGER name ON table`.
    public var triggerDropNamesTable: Bool { true }

    /// Online steps (`CONCURRENTLY`, VALIDATE, expand/contract) commit on their own.
    public var commitsMigrationInParts: Bool { true }

    /// Yes: NOT VALID then VALIDATE, SET NOT NULL through a validated check, keys through
    /// a concurrent unique index; the expand/contract type change keeps the suffix.
    public var writesOnlineForms: Bool { true }

    /// `SET lock_timeout = '50ms'`, the engine's default attempt; the engine reads it back
    /// as the length of each lock attempt, retried until `--lock-timeout`.
    public var lockTimeoutStatement: String? { "SET lock_timeout = '\(Int((PostgresTuning().attemptTimeout * 1000).rounded()))ms'" }

    /// `PostgresCost`.
    public func costs(of statements: [SQLStatement], sizes: [String: TableSize]) -> [StatementCost?] {
        PostgresCost.costs(of: statements, sizes: sizes)
    }

    /// Every kind of `SchemaObject`.
    public var objectKinds: Set<SchemaObject.Kind> { Set(SchemaObject.Kind.allCases) }
}
