import Foundation
import GRDB

/// The record of each online rebuild in the database itself (`_migrate_online`), written
/// in the same transactions as the work, so a crash at any moment leaves a state the next
/// run can read: which table, which shadow, which phase, how far.
struct OnlineState: Sendable {
    static let table = "_migrate_online"

    enum Phase: String, Sendable {
        /// Shadow and triggers exist; rows up to `lastRowid` are copied. The migration is not committed.
        case copy
        /// The migration committed; the old table's rows are being deleted.
        case cleanup
    }

    var id: Int64
    var version: Int
    var tableName: String
    var shadow: String
    var oldTable: String
    var phase: Phase
    var lastRowid: Int64
    var rowsDone: Int
    var rowsTotal: Int

    static func create(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS \(table) (
                  id INTEGER PRIMARY KEY,
                  version INTEGER NOT NULL,
                  table_name TEXT NOT NULL,
                  shadow TEXT NOT NULL,
                  old_table TEXT NOT NULL,
                  phase TEXT NOT NULL,
                  last_rowid INTEGER NOT NULL,
                  rows_done INTEGER NOT NULL,
                  rows_total INTEGER NOT NULL,
                  started_at TEXT NOT NULL
                )
                """)
    }

    static func all(_ db: Database) throws -> [OnlineState] {
        guard try db.tableExists(table) else { return [] }
        return try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY id").map { row in
            OnlineState(
                id: row["id"], version: row["version"], tableName: row["table_name"], shadow: row["shadow"],
                oldTable: row["old_table"], phase: Phase(rawValue: row["phase"]) ?? .copy,
                lastRowid: row["last_rowid"], rowsDone: row["rows_done"], rowsTotal: row["rows_total"])
        }
    }

    /// Inserts the record; returns it with its id.
    static func insert(_ db: Database, version: Int, tableName: String, shadow: String, oldTable: String, rowsTotal: Int) throws -> OnlineState {
        try create(db)
        try db.execute(
            sql: """
                INSERT INTO \(table) (version, table_name, shadow, old_table, phase, last_rowid, rows_done, rows_total, started_at)
                VALUES (?, ?, ?, ?, 'copy', ?, 0, ?, ?)
                """, arguments: [version, tableName, shadow, oldTable, Int64.min, rowsTotal, ISO8601DateFormatter().string(from: Date())])
        return OnlineState(
            id: db.lastInsertedRowID, version: version, tableName: tableName, shadow: shadow, oldTable: oldTable,
            phase: .copy, lastRowid: Int64.min, rowsDone: 0, rowsTotal: rowsTotal)
    }

    func save(_ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE \(Self.table) SET phase = ?, last_rowid = ?, rows_done = ?, rows_total = ? WHERE id = ?")
            .execute(arguments: [phase.rawValue, lastRowid, rowsDone, rowsTotal, id])
    }

    func delete(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM \(Self.table) WHERE id = ?", arguments: [id])
        if try Int.fetchOne(db, sql: "SELECT count(*) FROM \(Self.table)") == 0 {
            try db.execute(sql: "DROP TABLE \(Self.table)")
        }
    }
}
