import Foundation
import GRDB
import MigrationEngine
import SQLSyntax
import SchemaDiff

/// Whether an online rebuild fits on the disk: the shadow table and its indexes take
/// about as much as the table and its indexes do now, and the write-ahead log holds the
/// copied pages again until a checkpoint, so each rebuild needs twice the table's size
/// free where the database lives.
enum DiskSpace {
    struct Shortage: Error, CustomStringConvertible {
        var needed: Int64
        var free: Int64
        var tables: [String]
        var file: String

        var description: String {
            "\(file): not enough disk space for the online rebuild of \(tables.joined(separator: ", ")): it needs about "
                + "\(StatementCost.bytes(needed)) (twice the table and its indexes: the shadow copy and the write-ahead log) "
                + "and \(StatementCost.bytes(free)) is free; nothing was changed"
        }
    }

    /// Bytes the table and its indexes occupy now (`dbstat`, else the whole file as a bound).
    static func bytes(of table: String, _ db: Database) throws -> Int64 {
        let names =
            [table]
            + (try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? COLLATE NOCASE", arguments: [table]))
        let placeholders = names.map { _ in "?" }.joined(separator: ", ")
        if let bytes = try? Int64.fetchOne(
            db, sql: "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN (\(placeholders))", arguments: StatementArguments(names))
        {
            return bytes
        }
        let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
        let size = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
        return pages * size
    }

    /// Free bytes on the file system holding `path` (`MIGRATE_FREE_BYTES` overrides it, for tests).
    static func free(at path: String) -> Int64? {
        if let forced = TestHooks.freeBytes { return forced }
        let directory = (path as NSString).deletingLastPathComponent
        let attributes = try? FileManager.default.attributesOfFileSystem(forPath: directory.isEmpty ? "." : directory)
        return (attributes?[.systemFreeSize] as? NSNumber)?.int64Value
    }

    /// Throws `Shortage` when the rebuilds of `tables` together need more than is free.
    static func check(tables: [String], databasePath: String, file: String, _ db: Database) throws {
        guard !tables.isEmpty, let free = free(at: databasePath) else { return }
        let needed = try tables.reduce(Int64(0)) { $0 + 2 * (try bytes(of: $1, db)) }
        if needed > free { throw Shortage(needed: needed, free: free, tables: tables, file: file) }
    }
}
