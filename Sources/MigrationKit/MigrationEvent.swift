import MigrationEngine

/// Progress the executor reports while it works, shared by the CLI and library users.
public enum MigrationEvent: Sendable, Hashable {
    case migrationStarted(id: String, description: String, direction: MigrationDirection)
    case migrationFinished(MigrationResult)
    case migrationFailed(MigrationResult)
    /// Checks passed; taking the migrator lock (waiting up to `timeout` seconds if another holds it).
    case acquiringLock(timeout: Double)
}
