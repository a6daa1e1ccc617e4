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

    /// - Throws: `MigrationError.invalidConfiguration` naming the URL and the accepted forms.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let lower = trimmed.lowercased()
        if lower == "sqlite::memory:" || lower == "sqlite://:memory:" {
            self = .sqliteMemory
        } else if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
            do {
                self = .postgres(try PostgresURL(parsing: trimmed))
            } catch {
                throw MigrationError.invalidConfiguration("database URL '\(Self.redacted(trimmed))': \(error)")
            }
        } else if lower.hasPrefix("sqlite:") || lower.hasPrefix("sqlite3:") {
            var rest = String(trimmed.drop { $0 != ":" }.dropFirst())
            if rest.hasPrefix("//") { rest.removeFirst(2) }
            if let query = rest.firstIndex(of: "?") { rest = String(rest[..<query]) }
            rest = rest.removingPercentEncoding ?? rest
            guard !rest.isEmpty else {
                throw MigrationError.invalidConfiguration("database URL '\(text)': expected a file path after 'sqlite:', e.g. sqlite:app.db")
            }
            self = .sqlite(path: rest)
        } else {
            throw MigrationError.invalidConfiguration(
                "database URL '\(Self.redacted(trimmed))': expected sqlite:path/to.db, sqlite:///abs/path.db, sqlite::memory: or postgres://user:pass@host:port/db"
            )
        }
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
