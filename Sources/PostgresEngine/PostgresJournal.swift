import MigrationEngine
import PostgresNIO
import SQLSyntax

/// `_migrate_journal`: for a migration being applied, what undoes each step it has
/// committed so far, written in the step's own transaction. The migration's last
/// transaction (the one that writes its history row) clears it, so rows left behind
/// belong to a migration that failed or was killed; they are run newest first to put the
/// database back as it was.
enum PostgresJournal {
    static let table = "_migrate_journal"

    static let create = """
        CREATE TABLE IF NOT EXISTS \(table) (
          seq bigserial PRIMARY KEY,
          version bigint NOT NULL,
          undo text,
          outside_transaction boolean NOT NULL DEFAULT false,
          note text
        )
        """

    /// One journal row per undo statement (stored in reverse, since rows are undone newest
    /// first), or one row naming the step when it cannot be undone.
    static func entries(for step: PostgresStep, version: Int) -> [PostgresQuery] {
        guard let undo = step.undo else {
            return ["INSERT INTO \(unescaped: table) (version, note) VALUES (\(Int64(version)), \(step.sql))"]
        }
        return undo.reversed().map { undo in
            "INSERT INTO \(unescaped: table) (version, undo, outside_transaction) VALUES (\(Int64(version)), \(undo.sql), \(undo.mode == .autocommit))"
        }
    }

    static func clear(version: Int) -> String {
        "DELETE FROM \(table) WHERE version = \(version)"
    }

    static func exists(_ session: PostgresSession) async throws -> Bool {
        try await PostgresCatalog(session: session).tableExists(QualifiedName(name: table))
    }

    struct Entry {
        var seq: Int
        var version: Int
        var undo: String?
        var outsideTransaction: Bool
        var note: String?
    }

    static func entries(_ session: PostgresSession, version: Int? = nil) async throws -> [Entry] {
        guard try await exists(session) else { return [] }
        let filter = version.map { "WHERE version = \($0)" } ?? ""
        return try await session.rows(
            "SELECT seq::text, version::text, undo, outside_transaction::text, note FROM \(table) \(filter) ORDER BY seq DESC"
        )
        .map { row in
            Entry(seq: Int(row[0] ?? "") ?? 0, version: Int(row[1] ?? "") ?? 0, undo: row[2], outsideTransaction: row[3] == "true", note: row[4])
        }
    }

    /// Undoes what the journal holds for `version`, newest first, each undo with the
    /// removal of its row in one transaction (or right after it, outside one).
    /// - Returns: the statements that could not be undone (data they removed is gone).
    static func undo(_ session: PostgresSession, version: Int) async throws -> [String] {
        var notUndone: [String] = []
        for entry in try await entries(session, version: version) {
            let forget = "DELETE FROM \(table) WHERE seq = \(entry.seq)"
            if let undo = entry.undo {
                if entry.outsideTransaction {
                    try await session.execute(undo)
                    try await session.execute(forget)
                } else {
                    try await session.execute("BEGIN")
                    do {
                        try await session.execute(undo)
                        try await session.execute(forget)
                        try await session.execute("COMMIT")
                    } catch {
                        try? await session.execute("ROLLBACK")
                        throw error
                    }
                }
            } else {
                notUndone.append(entry.note ?? "?")
                try await session.execute(forget)
            }
        }
        return notUndone.reversed()
    }
}
