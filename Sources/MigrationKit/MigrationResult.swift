import MigrationEngine

/// What happened to one migration during `up`, `down` or a dry run.
public struct MigrationResult: Sendable, Hashable {
    /// What happened to the migration.
    public enum Outcome: String, Sendable, Hashable {
        case applied, reverted, failed
        /// Dry run: it would run, and did run against the schema-only copy.
        case planned
    }

    /// The migration's number as its files spell it: `003`.
    public var id: String
    /// The migration's number.
    public var version: Int
    /// The description from its file name.
    public var description: String
    /// Up or down.
    public var direction: MigrationDirection
    /// What happened.
    public var outcome: Outcome
    /// How long it took.
    public var milliseconds: Int
    /// How each statement ran (or would run).
    public var statements: [StatementExecution]
    /// What went wrong, for people (and the history table).
    public var error: String?
    /// The engine's error when it failed there, with what it left behind
    /// (`EngineError.Aftermath`).
    public var failure: EngineError?
}

/// The state of one migration as `status` shows it.
public struct MigrationState: Sendable, Hashable {
    /// Where a migration stands.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case applied = "Applied"
        case pending = "Pending"
        /// The last attempt failed and was rolled back; `up` retries it.
        case failed = "Failed"
        /// Applied, but the up file changed since: blocks `up`.
        case modified = "Modified"
        /// Applied, but its files are gone.
        case missing = "Missing"
    }

    /// The migration's number as its files spell it: `003`.
    public var id: String
    /// The migration's number.
    public var version: Int
    /// The description from its file name (or the history, when the files are gone).
    public var description: String
    /// Where it stands.
    public var status: Status
    /// Its history row, if it has one.
    public var record: HistoryRecord?
    /// Its files, if they exist.
    public var file: MigrationFile?

    /// Not applied yet: pending, or its last attempt failed (`up` retries it).
    public var isPending: Bool { status == .pending || status == .failed }
}

/// Where the database stands: what `migrate version` prints.
public struct MigrationVersion: Sendable, Hashable {
    /// The highest-numbered applied migration; nil when none is applied.
    public var current: MigrationState?
    /// Migrations whose last attempt failed (rolled back; `up` retries them).
    public var failed: [String]
    /// Migrations not applied yet, in order.
    public var pending: [String]
}
