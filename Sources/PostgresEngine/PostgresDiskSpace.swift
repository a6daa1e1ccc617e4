import Foundation
import MigrationEngine
import SQLSyntax
import SchemaDiff

/// Whether the index builds and rewrites of a migration fit on the server's disk: each
/// needs about the size of its table and indexes again (`StatementCost`), where the server
/// keeps its data. The free space can be read only where that directory is visible: a
/// server on this machine whose `data_directory` the role may read (or `MIGRATE_FREE_BYTES`
/// in tests); elsewhere the check is not made, and `up --dry-run` says so.
enum PostgresDiskSpace {
    /// The bytes needed and where they were counted from, for `statements`.
    static func needed(_ statements: [SQLStatement], sizes: [String: TableSize]) -> (bytes: Int64, tables: [String]) {
        var bytes: Int64 = 0
        var tables: [String] = []
        for cost in PostgresCost.costs(of: statements, sizes: sizes).compactMap({ $0 })
        where cost.work == .build || cost.work == .rewrite {
            guard let size = cost.size, let table = cost.table else { continue }
            bytes += size.bytes ?? 0
            if !tables.contains(table) { tables.append(table) }
        }
        return (bytes, tables)
    }

    /// Free bytes where the server keeps its data, when this machine can see it.
    static func free(_ session: PostgresSession, url: PostgresURL) async -> (bytes: Int64, directory: String)? {
        if let forced = TestHooks.freeBytes { return (forced, "the server's data directory") }
        guard url.host == nil || ["localhost", "127.0.0.1", "::1"].contains(url.host ?? "") else { return nil }
        guard let directory = (try? await session.value("SELECT current_setting('data_directory')")) ?? nil,
            let attributes = try? FileManager.default.attributesOfFileSystem(forPath: directory),
            let free = (attributes[.systemFreeSize] as? NSNumber)?.int64Value
        else { return nil }
        return (free, directory)
    }

    /// Throws when the migration's builds and rewrites need more than is free.
    static func check(_ script: MigrationScript, sizes: [String: TableSize], session: PostgresSession, url: PostgresURL) async throws {
        let need = needed(script.statements.map(\.statement), sizes: sizes)
        guard need.bytes > 0, let free = await free(session, url: url), need.bytes > free.bytes else { return }
        throw EngineError.database(
            "\(script.file): not enough disk space for the index builds and rewrites of \(need.tables.joined(separator: ", ")): they need about "
                + "\(StatementCost.bytes(need.bytes)) (each table with its indexes again) and \(StatementCost.bytes(free.bytes)) is free "
                + "in \(free.directory); nothing was changed")
    }
}
