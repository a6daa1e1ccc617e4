import MigrationEngine
import SchemaDiff

/// Progress the executor reports while it works, shared by the CLI and library users.
public enum MigrationEvent: Sendable, Hashable {
    case migrationStarted(id: String, description: String, direction: MigrationDirection)
    case migrationFinished(MigrationResult)
    case migrationFailed(MigrationResult)
    /// Progress of a long operation (an online table rebuild).
    case progress(OperationProgress)
    /// An operation a crash interrupted was finished or undone before anything else ran.
    case recovered(String)
    /// A lint warning about a migration about to run (it runs anyway unless `strict`).
    case lint(LintFinding)
    /// Checks passed; taking the migrator lock (waiting up to `timeout` seconds if another holds it).
    case acquiringLock(timeout: Double)
}
