import Foundation
import Yams

/// Settings from `migrate.yaml` in the working directory; flags and `$DATABASE_URL` win.
///
/// ```yaml
/// database: sqlite:app.db
/// dir: migrations
/// schema: schema           # desired-state files for plan and check
/// lock_timeout: 60
/// online_min_rows: 10000   # smaller tables are rebuilt in one transaction
/// batch_ms: 5              # how long one online batch may hold the write lock
/// ```
public struct ProjectConfig: Sendable, Equatable {
    /// `database:` URL.
    public var database: String?
    /// `dir:` the migrations directory.
    public var dir: String?
    /// `schema:` the desired-state path.
    public var schema: String?
    /// `lock_timeout:` seconds.
    public var lockTimeout: Double?
    /// `online_min_rows:` tables with fewer rows are rebuilt in one transaction.
    public var onlineMinimumRows: Int?
    /// `batch_ms:` how long one online batch may hold the write lock.
    public var batchMilliseconds: Double?

    /// A configuration with the given values; nil ones fall back to flags or defaults.
    public init(
        database: String? = nil, dir: String? = nil, lockTimeout: Double? = nil, onlineMinimumRows: Int? = nil, batchMilliseconds: Double? = nil
    ) {
        self.database = database
        self.dir = dir
        self.lockTimeout = lockTimeout
        self.onlineMinimumRows = onlineMinimumRows
        self.batchMilliseconds = batchMilliseconds
    }

    static let keys = ["database", "dir", "schema", "lock_timeout", "online_min_rows", "batch_ms"]

    /// Reads `path` if it exists.
    /// - Throws: `MigrationError.invalidConfiguration` naming `file:line:column`.
    public static func load(_ path: String = "migrate.yaml") throws -> ProjectConfig {
        guard let data = FileManager.default.contents(atPath: path) else { return ProjectConfig() }
        let node: Node?
        do {
            node = try Yams.compose(yaml: String(decoding: data, as: UTF8.self))
        } catch let error as YamlError {
            throw MigrationError.invalidConfiguration("\(path): \(error)")
        }
        guard let node else { return ProjectConfig() }
        guard let mapping = node.mapping else {
            throw MigrationError.invalidConfiguration("\(path):\(place(node)): expected a mapping of settings (\(keys.joined(separator: ", ")))")
        }
        var config = ProjectConfig()
        for (key, value) in mapping {
            guard let name = key.string, keys.contains(name) else {
                throw MigrationError.invalidConfiguration(
                    "\(path):\(place(key)): unknown key '\(key.string ?? "?")'; expected one of \(keys.joined(separator: ", "))")
            }
            guard let text = value.scalar?.string else {
                throw MigrationError.invalidConfiguration("\(path):\(place(value)): expected a single value for '\(name)'")
            }
            switch name {
            case "database": config.database = text
            case "dir": config.dir = text
            case "schema": config.schema = text
            case "online_min_rows":
                guard let rows = Int(text), rows >= 0 else {
                    throw MigrationError.invalidConfiguration("\(path):\(place(value)): expected a number of rows for 'online_min_rows'")
                }
                config.onlineMinimumRows = rows
            default:
                guard let number = Double(text), number >= 0 else {
                    throw MigrationError.invalidConfiguration("\(path):\(place(value)): expected a number for '\(name)'")
                }
                if name == "batch_ms" { config.batchMilliseconds = number } else { config.lockTimeout = number }
            }
        }
        return config
    }

    private static func place(_ node: Node) -> String {
        guard let mark = node.mark else { return "1:1" }
        return "\(mark.line):\(mark.column)"
    }
}
