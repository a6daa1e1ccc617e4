import Foundation
import MigrationEngine
import PostgresNIO
import SQLSyntax

/// The `schema_migrations` table on PostgreSQL, in the URL's schema.
enum PostgresHistory {
    static let table = "schema_migrations"

    static let create = """
        CREATE TABLE IF NOT EXISTS \(table) (
          version bigint PRIMARY KEY,
          description text NOT NULL,
          checksum text NOT NULL,
          applied_at timestamptz NOT NULL,
          execution_ms bigint NOT NULL,
          status text NOT NULL CHECK (status IN ('applied', 'failed')),
          error text
        )
        """

    static func exists(_ session: PostgresSession) async throws -> Bool {
        try await PostgresCatalog(session: session).tableExists(QualifiedName(name: table))
    }

    static func all(_ session: PostgresSession) async throws -> [HistoryRecord] {
        guard try await exists(session) else { return [] }
        let rows = try await session.rows(
            """
            SELECT version::text, description, checksum, to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                   execution_ms::text, status, error
            FROM \(table) ORDER BY version
            """)
        return rows.map { row in
            HistoryRecord(
                version: Int(row[0] ?? "") ?? 0,
                description: row[1] ?? "",
                checksum: row[2] ?? "",
                appliedAt: row[3].flatMap { timestamp.date(from: $0) } ?? Date(timeIntervalSince1970: 0),
                executionMilliseconds: Int(row[4] ?? "") ?? 0,
                status: HistoryRecord.Status(rawValue: row[5] ?? "") ?? .failed,
                error: row[6])
        }
    }

    /// The statement that makes `change`, to run in the migration's last transaction;
    /// every value is a bind parameter.
    static func query(_ change: HistoryChange) -> PostgresQuery {
        switch change {
        case .record(let record):
            return """
                INSERT INTO \(unescaped: table) (version, description, checksum, applied_at, execution_ms, status, error)
                VALUES (\(Int64(record.version)), \(record.description), \(record.checksum), \(record.appliedAt),
                        \(Int64(record.executionMilliseconds)), \(record.status.rawValue), \(record.error))
                ON CONFLICT (version) DO UPDATE SET description = EXCLUDED.description, checksum = EXCLUDED.checksum,
                  applied_at = EXCLUDED.applied_at, execution_ms = EXCLUDED.execution_ms, status = EXCLUDED.status, error = EXCLUDED.error
                """
        case .remove(let version):
            return "DELETE FROM \(unescaped: table) WHERE version = \(Int64(version))"
        }
    }

    nonisolated(unsafe) static let timestamp: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}

/// Literals and names in SQL the engine writes itself.
enum PostgresSQL {
    /// A string literal, `'` doubled (standard_conforming_strings is on since PostgreSQL 9.1).
    static func literal(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
