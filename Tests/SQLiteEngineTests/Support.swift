import Foundation
import GRDB
import MigrationEngine
import SQLSyntax

@testable import SQLiteEngine

/// A throwaway SQLite file with helpers to run migrations on it and read it back.
struct TestDatabase {
    /// Waits for locks, as an application would.
    static var configuration: Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        return configuration
    }

    let directory: URL
    let path: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("migrate-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("test.db").path
    }

    func engine(readOnly: Bool = false, busyTimeout: Double = 5, tuning: OnlineTuning = OnlineTuning()) throws -> SQLiteEngine {
        try SQLiteEngine(path: path, readOnly: readOnly, busyTimeout: busyTimeout, tuning: tuning)
    }

    /// Runs SQL directly, as an application would.
    func execute(_ sql: String) throws {
        let queue = try DatabaseQueue(path: path, configuration: Self.configuration)
        try queue.write { try $0.execute(sql: sql) }
    }

    func rows(_ sql: String) throws -> [[String]] {
        let queue = try DatabaseQueue(path: path, configuration: Self.configuration)
        return try queue.read { db in
            try Row.fetchAll(db, sql: sql).map { row in row.databaseValues.map { $0.isNull ? "NULL" : "\($0.storage.value!)" } }
        }
    }

    /// `sqlite_schema` rows (type, name, sql), for before/after comparisons.
    func schema() throws -> [[String]] {
        try rows("SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name")
    }

    func script(_ sql: String, version: Int = 1, file: String = "001_test.up.sql") throws -> MigrationScript {
        MigrationScript(
            version: version, id: String(format: "%03d", version), description: "test", direction: .up,
            file: file, statements: try Parser.parse(sql, file: file))
    }

    /// Applies `sql` as one migration.
    @discardableResult
    func apply(_ sql: String, version: Int = 1) async throws -> [StatementExecution] {
        let engine = try engine()
        try await engine.prepareHistory()
        let record = HistoryRecord(
            version: version, description: "test", checksum: "x", appliedAt: Date(), executionMilliseconds: 0, status: .applied)
        return try await engine.apply(try script(sql, version: version), history: .record(record)) { _ in }
    }
}
