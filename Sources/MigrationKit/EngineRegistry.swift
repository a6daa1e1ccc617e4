import MigrationEngine
import PostgresEngine
import SQLiteEngine

/// The one place that knows which engines exist: each driver names its URL schemes, reads
/// its URLs into a `DatabaseURL`, and opens the engine such a URL names, with that
/// engine's own tuning taken from the configuration.
enum EngineRegistry {
    /// One engine's entry.
    struct Driver: Sendable {
        /// The URL schemes it answers to, lowercased: `sqlite`, `postgres`.
        var schemes: [String]
        /// Reads a URL of one of `schemes`.
        var parse: @Sendable (_ url: String) throws -> DatabaseURL
        /// The engine opener for a URL it parsed; nil for another driver's URL.
        var open: @Sendable (_ url: DatabaseURL, _ configuration: MigrationConfiguration) throws -> EngineOpener?
    }

    /// Opens the engine, read-only or not, each time it is called.
    typealias EngineOpener = @Sendable (_ readOnly: Bool) throws -> any DatabaseEngine

    static let drivers: [Driver] = [sqlite, postgres]

    /// The driver for `text`'s scheme (`scheme:` or `scheme://`), if any.
    static func driver(for text: String) -> Driver? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let scheme = text[..<colon].lowercased()
        return drivers.first { $0.schemes.contains(scheme) }
    }

    /// The opener for the database `configuration` names; it throws `MigrationError.engine`.
    static func opener(for configuration: MigrationConfiguration) throws -> EngineOpener {
        guard let open = try drivers.lazy.compactMap({ try $0.open(configuration.database, configuration) }).first else {
            throw MigrationError.invalidConfiguration("database URL '\(configuration.database)': no engine opens it")
        }
        return { readOnly in
            do {
                return try open(readOnly)
            } catch let error as EngineError {
                throw MigrationError.engine(error)
            }
        }
    }

    // MARK: The drivers

    static let sqlite = Driver(
        schemes: ["sqlite", "sqlite3"],
        parse: { text in
            let lower = text.lowercased()
            if lower == "sqlite::memory:" || lower == "sqlite://:memory:" { return .sqliteMemory }
            var rest = String(text.drop { $0 != ":" }.dropFirst())
            if rest.hasPrefix("//") { rest.removeFirst(2) }
            if let query = rest.firstIndex(of: "?") { rest = String(rest[..<query]) }
            rest = rest.removingPercentEncoding ?? rest
            guard !rest.isEmpty else {
                throw MigrationError.invalidConfiguration("database URL '\(text)': expected a file path after 'sqlite:', e.g. sqlite:app.db")
            }
            return .sqlite(path: rest)
        },
        open: { url, configuration in
            let timeout = configuration.lockTimeout
            let tuning = OnlineTuning(
                minimumRows: configuration.onlineMinimumRows, batchMilliseconds: configuration.batchMilliseconds,
                pauseFactor: configuration.pauseFactor ?? OnlineTuning.defaultPauseFactor,
                // MIGRATE_PAUSE_FACTOR, when set, paces every batch alike.
                busyPauseFactor: configuration.pauseFactor ?? OnlineTuning.defaultBusyPauseFactor)
            switch url {
            case .sqlite(let path):
                return { readOnly in try SQLiteEngine(path: path, readOnly: readOnly, busyTimeout: timeout, tuning: tuning) }
            case .sqliteMemory:
                // Opened once and shared, or it would be empty each time.
                let engine: SQLiteEngine
                do {
                    engine = try SQLiteEngine(path: nil, busyTimeout: timeout, tuning: tuning)
                } catch let error as EngineError {
                    throw MigrationError.engine(error)
                }
                return { _ in engine }
            case .postgres:
                return nil
            }
        })

    static let postgres = Driver(
        schemes: ["postgres", "postgresql"],
        parse: { text in
            do {
                return .postgres(try PostgresURL(parsing: text))
            } catch {
                throw MigrationError.invalidConfiguration("database URL '\(PostgresURL.redacted(text))': \(error)")
            }
        },
        open: { url, configuration in
            guard case .postgres(let postgresURL) = url else { return nil }
            let timeout = configuration.lockTimeout
            let tuning = PostgresTuning(
                attemptTimeout: (configuration.lockAttemptMilliseconds ?? 50) / 1000, onlineMinimumRows: configuration.onlineMinimumRows,
                pauseFactor: configuration.pauseFactor ?? PostgresTuning.defaultPauseFactor,
                maxConcurrentOperations: configuration.maxConcurrentOperations)
            var scratch: PostgresURL?
            switch configuration.devDatabase {
            case .postgres(let dev)?: scratch = dev
            case nil: break
            default: throw MigrationError.invalidConfiguration("--dev-url: expected a PostgreSQL URL for a PostgreSQL database")
            }
            let scratchURL = scratch
            return { _ in PostgresEngine(url: postgresURL, lockTimeout: timeout, tuning: tuning, scratchURL: scratchURL) }
        })
}
