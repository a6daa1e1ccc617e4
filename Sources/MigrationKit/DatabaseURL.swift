import Foundation
import PostgresEngine

/// Where the database is, from `--database`, `$DATABASE_URL`, `migrate.yaml` or the default.
/// Parsed once, here; `EngineRegistry` opens the engine its scheme names.
///
/// Forms: `sqlite:path/to.db`, `sqlite:///abs/path.db`, `sqlite://rel/path.db`,
/// `sqlite::memory:`, `postgres://user:pass@host:port/db` (also `postgresql://`).
public enum DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case sqliteMemory
    case postgres(PostgresURL)

    /// The default database: `sqlite:app.db`.
    public static let defaultURL = DatabaseURL.sqlite(path: "app.db")

    /// Reads `text` with the driver its scheme names (`EngineRegistry`).
    /// - Throws: `MigrationError.invalidConfiguration` naming the URL and the accepted forms.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let driver = EngineRegistry.driver(for: trimmed) else {
            throw MigrationError.invalidConfiguration(
                "database URL '\(Self.redacted(trimmed))': expected sqlite:path/to.db, sqlite:///abs/path.db, sqlite::memory: or postgres://user:pass@host:port/db"
            )
        }
        self = try driver.parse(trimmed)
    }

    /// The URL with any password replaced by `***`.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .sqliteMemory: return "sqlite::memory:"
        case .postgres(let url): return url.redacted
        }
    }

    static func redacted(_ url: String) -> String { PostgresURL.redacted(url) }
}
