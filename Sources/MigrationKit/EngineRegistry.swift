import MigrationEngine
import PostgresEngine
import SQLiteEngine

/// The one place that knows which engines exist: opens the engine a `DatabaseURL` names,
/// with that engine's own tuning taken from the configuration.
enum EngineRegistry {
    /// Opens the engine, read-only or not, each time it is called (an in-memory SQLite
    /// database is opened once and shared, or it would be empty each time). The opener
    /// throws `MigrationError.engine`.
    static func opener(for configuration: MigrationConfiguration) throws -> @Sendable (_ readOnly: Bool) throws -> any DatabaseEngine {
        let open = try engines(for: configuration)
        return { readOnly in
            do {
                return try open(readOnly)
            } catch let error as EngineError {
                throw MigrationError.engine(error)
            }
        }
    }

    private static func engines(for configuration: MigrationConfiguration) throws -> @Sendable (_ readOnly: Bool) throws -> any DatabaseEngine {
        let timeout = configuration.lockTimeout
        switch configuration.database {
        case .sqlite(let path):
            let tuning = sqliteTuning(configuration)
            return { readOnly in try SQLiteEngine(path: path, readOnly: readOnly, busyTimeout: timeout, tuning: tuning) }
        case .sqliteMemory:
            let engine: SQLiteEngine
            do {
                engine = try SQLiteEngine(path: nil, busyTimeout: timeout, tuning: sqliteTuning(configuration))
            } catch let error as EngineError {
                throw MigrationError.engine(error)
            }
            return { _ in engine }
        case .postgres(let url):
            let tuning = postgresTuning(configuration)
            return { _ in PostgresEngine(url: url, lockTimeout: timeout, tuning: tuning) }
        }
    }

    static func sqliteTuning(_ configuration: MigrationConfiguration) -> OnlineTuning {
        OnlineTuning(
            minimumRows: configuration.onlineMinimumRows, batchMilliseconds: configuration.batchMilliseconds,
            pauseFactor: configuration.pauseFactor ?? OnlineTuning.defaultPauseFactor)
    }

    static func postgresTuning(_ configuration: MigrationConfiguration) -> PostgresTuning {
        PostgresTuning(
            attemptTimeout: (configuration.lockAttemptMilliseconds ?? 50) / 1000, onlineMinimumRows: configuration.onlineMinimumRows,
            pauseFactor: configuration.pauseFactor ?? PostgresTuning.defaultPauseFactor,
            maxConcurrentOperations: configuration.maxConcurrentOperations)
    }
}
