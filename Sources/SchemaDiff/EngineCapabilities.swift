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

    /// The kinds of object that stop a column of a table they use from changing type or
    /// being dropped (PostgreSQL: views, policies, triggers); the planner drops them
    /// before such a change and creates them again after it.
    var columnChangeDependents: Set<SchemaObject.Kind> { get }

    /// Whether `DROP TRIGGER` names the table (`DROP TRIGGER t ON users`, PostgreSQL).
    var triggerDropNamesTable: Bool { get }

    /// The object kinds the engine has; the others in a desired state are an error.
    var objectKinds: Set<SchemaObject.Kind> { get }

    /// Whether a migration's steps commit one after another (PostgreSQL's online work), so
    /// that what one step drops is missing for the application until a later one creates
    /// it; false when the whole migration is one transaction (SQLite).
    var commitsMigrationInParts: Bool { get }

    /// Whether planned files spell out the engine's own online forms for changes to
    /// existing tables (PostgreSQL: `ADD CONSTRAINT ... NOT VALID` then `VALIDATE
    /// CONSTRAINT`, `SET NOT NULL` through a validated check, a unique index built
    /// `CONCURRENTLY` then `ADD CONSTRAINT ... USING INDEX`), so that the file is what runs;
    /// false for the seed's `CONCURRENTLY` suffix, which the engine expands itself.
    var writesOnlineForms: Bool { get }

    /// The statement that opens a planned file to bound each lock wait as the engine
    /// does (PostgreSQL: `SET lock_timeout = '50ms'`); nil for none.
    var lockTimeoutStatement: String? { get }

    /// The lock, work and estimated time of each statement of a migration, in order
    /// (`StatementCost`), from the sizes of the tables it works on (by lowercased name);
    /// nil where the engine says nothing.
    func costs(of statements: [SQLStatement], sizes: [String: TableSize]) -> [StatementCost?]
}

extension EngineCapabilities {
    /// None: an engine without views or triggers has no dependents to write again.
    public var columnChangeDependents: Set<SchemaObject.Kind> { [] }

    /// PostgreSQL's form unless the engine says otherwise.
    public var triggerDropNamesTable: Bool { true }

    /// Every kind unless the engine says otherwise.
    public var objectKinds: Set<SchemaObject.Kind> { Set(SchemaObject.Kind.allCases) }

    /// One transaction unless the engine says otherwise.
    public var commitsMigrationInParts: Bool { false }

    /// The seed's `CONCURRENTLY` suffix unless the engine says otherwise.
    public var writesOnlineForms: Bool { false }

    /// None unless the engine says otherwise.
    public var lockTimeoutStatement: String? { nil }

    /// Nothing unless the engine says otherwise.
    public func costs(of statements: [SQLStatement], sizes: [String: TableSize]) -> [StatementCost?] {
        statements.map { _ in nil }
    }
}
