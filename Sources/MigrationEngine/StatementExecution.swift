import SQLSyntax
import SchemaDiff
import SchemaModel

/// How an engine will run one statement: what `--dry-run` shows.
public struct StatementExecution: Sendable, Hashable {
    /// How it runs: `native`, `instant`, `online`, `rebuild`, `pass-through`, `no-op`, ...
    public var strategy: Strategy
    /// The lock it takes and for how long, in words.
    public var lock: String
    /// The SQL the engine will execute, in its own dialect.
    public var sql: [String]
    /// The statement as written in the file.
    public var source: String
    /// Where the statement is in its file.
    public var location: SourceLocation
    /// Its lock, work and estimate from the live table sizes (`StatementCost.summary`),
    /// as a planned file's comment says it; nil where the engine says nothing.
    public var cost: String?

    /// How a statement runs.
    public init(strategy: Strategy, lock: String, sql: [String], source: String, location: SourceLocation) {
        self.strategy = strategy
        self.lock = lock
        self.sql = sql
        self.source = source
        self.location = location
    }
}
