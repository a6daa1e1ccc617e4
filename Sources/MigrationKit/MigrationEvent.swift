import MigrationEngine

/// Progress the executor reports while it works, shared by the CLI and library users.
public enum MigrationEvent: Sendable, Hashable {
    case migrationStarted(id: String, description: String, direction: MigrationDirection)
    case migrationFinished(MigrationResult)
    case migrationFailed(MigrationResult)
    /// Waiting for another migrator to release the lock.
    case waitingForLock(timeout: Double)
}
