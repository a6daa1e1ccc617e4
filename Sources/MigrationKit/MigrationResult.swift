import MigrationEngine

/// What happened to one migration during `up`, `down` or a dry run.
public struct MigrationResult: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable {
        case applied, reverted, failed
        /// Dry run: it would run, and did run against the schema-only copy.
        case planned
    }

    public var id: String
    public var version: Int
    public var description: String
    public var direction: MigrationDirection
    public var outcome: Outcome
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

    public var id: String
    public var version: Int
    public var description: String
    public var status: Status
    public var record: HistoryRecord?
    public var file: MigrationFile?

    /// Not applied yet: pending, or its last attempt failed (`up` retries it).
    public var isPending: Bool { status == .pending || status == .failed }
}
