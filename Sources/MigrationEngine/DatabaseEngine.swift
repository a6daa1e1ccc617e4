import SQLSyntax
import SchemaDiff
import SchemaModel

/// One database the executor migrates: each engine (`SQLiteEngine`, `PostgresEngine`)
/// is all four parts, the way Atlas splits a driver. Callers ask for the part they need.
///
/// The executor calls them in this order: `withMigratorLock` around everything that
/// writes, `prepareHistory`, `history`, `validate` for each script to run, then `apply`
/// per migration and `recordFailure` when one fails.
public typealias DatabaseEngine = SchemaInspector & HistoryStore & MigratorLock & ScriptRunner

/// Reads the live schema, and says how the engine spells and changes it.
public protocol SchemaInspector: Sendable {
    /// How this engine spells types and expressions; the planner compares schemas
    /// through it so that equal spellings never show as differences.
    var sqlDialect: any SQLDialect { get }

    /// What the engine is and does: its name, which changes rebuild a table, its lint rules.
    var capabilities: any EngineCapabilities { get }

    /// The live schema (tables, indexes, keys, checks; views and triggers as opaque
    /// objects), without the migrator's own tables. Reads only.
    func introspect() async throws -> Schema

    /// The sizes of `tables` (lowercased names) that exist, for the estimates of
    /// `EngineCapabilities.costs`: rows and bytes of the table with its indexes. Reads only.
    func tableSizes(_ tables: Set<String>) async throws -> [String: TableSize]
}

extension SchemaInspector {
    /// None: an engine without sizes gives no estimates.
    public func tableSizes(_ tables: Set<String>) async throws -> [String: TableSize] { [:] }
}

/// The history table.
public protocol HistoryStore: Sendable {
    /// Creates the history table if it is missing.
    func prepareHistory() async throws

    /// The history rows, oldest version first; empty when there is no history table.
    func history() async throws -> [HistoryRecord]

    /// Records a failed attempt in the history table.
    func recordFailure(_ record: HistoryRecord) async throws
}

/// The lock that keeps two migrators apart.
public protocol MigratorLock: Sendable {
    /// Runs `body` while holding the lock.
    /// - Throws: `EngineError.lockTimeout` after waiting `timeout` seconds.
    func withMigratorLock<T: Sendable>(timeout: Double, _ body: @Sendable () async throws -> T) async throws -> T
}

/// Checks, runs and recovers migration scripts.
public protocol ScriptRunner: Sendable {
    /// Checks that every statement can run on this engine, touching nothing.
    /// - Throws: `EngineError.unsupported` naming the file, line and column.
    func validate(_ script: MigrationScript) async throws

    /// Runs `scripts` in order against a schema-only copy of the database, touching
    /// nothing, to prove that they run; returns how each statement of each script runs.
    func dryRun(_ scripts: [MigrationScript]) async throws -> [[StatementExecution]]

    /// Applies one migration with `change` to the history, all or nothing.
    /// - Parameter progress: receives progress of long operations.
    /// - Throws: `EngineError.statementFailed` after rolling everything back.
    /// - Returns: how each statement ran.
    func apply(_ script: MigrationScript, history change: HistoryChange, progress: @escaping ProgressHandler) async throws -> [StatementExecution]

    /// Online operations a crash interrupted. Reads only.
    func interruptedOperations() async throws -> [InterruptedOperation]

    /// Finishes or undoes interrupted operations so the database is consistent; called
    /// under the migrator lock before anything else runs.
    /// - Returns: one line per operation recovered, for the user.
    func recover(progress: @escaping ProgressHandler) async throws -> [String]
}

/// Loads statements into an empty scratch database of the same engine and reads its
/// schema back, so that two schemas are compared as the engine stores them (its own
/// spelling of every expression, type and definition), not as they were written.
public protocol SchemaNormalizer: Sendable {
    /// The schema `script` builds from nothing, as `introspect` reads it; the scratch
    /// database is gone afterwards, and the engine's own database is not touched.
    /// - Throws: `EngineError.statementFailed` naming the statement the engine refused.
    func normalize(_ script: MigrationScript) async throws -> Schema
}
