import Foundation
import GRDB
import MigrationEngine

/// The `schema_migrations` table on SQLite.
enum SQLiteHistory {
    static let table = "schema_migrations"

    static func create(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS \(table) (
                  version INTEGER PRIMARY KEY,
                  description TEXT NOT NULL,
                  checksum TEXT NOT NULL,
                  applied_at TEXT NOT NULL,
                  execution_ms INTEGER NOT NULL,
                  status TEXT NOT NULL CHECK (status IN ('applied', 'failed')),
                  error TEXT
                )
                """)
    }

    static func exists(_ db: Database) throws -> Bool {
        try db.tableExists(table)
    }

    static func all(_ db: Database) throws -> [HistoryRecord] {
        guard try exists(db) else { return [] }
        return try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY version").map { row in
            HistoryRecord(
                version: row["version"],
                description: row["description"],
                checksum: row["checksum"],
                appliedAt: timestamp.date(from: row["applied_at"] as String) ?? Date(timeIntervalSince1970: 0),
                executionMilliseconds: row["execution_ms"],
                status: HistoryRecord.Status(rawValue: row["status"]) ?? .failed,
                error: row["error"])
        }
    }

    static func apply(_ change: HistoryChange, _ db: Database) throws {
        switch change {
        case .record(let record):
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO \(table) (version, description, checksum, applied_at, execution_ms, status, error)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.version, record.description, record.checksum, timestamp.string(from: record.appliedAt),
                    record.executionMilliseconds, record.status.rawValue, record.error,
                ])
        case .remove(let version):
            try db.execute(sql: "DELETE FROM \(table) WHERE version = ?", arguments: [version])
        }
    }

    nonisolated(unsafe) static let timestamp: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
