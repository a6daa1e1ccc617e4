import Foundation
import GRDB
import MigrationEngine
import SQLSyntax

/// The embedded engine: a SQLite file (WAL mode) through GRDB.
///
/// Each migration runs in one `BEGIN IMMEDIATE` transaction with foreign keys off (turned
/// off before the transaction, where the pragma works), then `PRAGMA foreign_key_check`,
/// then the history row, then COMMIT; any failure rolls all of it back.
public final class SQLiteEngine: MigrationEngine {
    public let name = "sqlite"
    private let queue: DatabaseQueue
    /// The file, or nil for an in-memory database.
    private let path: String?
    private let dialect = SQLiteDialect()
    /// An empty database for syntax checks.
    private let scratch: DatabaseQueue

    /// Opens the database.
    /// - Parameters:
    ///   - path: the file; nil for `sqlite::memory:`.
    ///   - readOnly: open without creating or changing anything; a missing file reads as empty.
    ///   - busyTimeout: seconds to wait for another connection's write lock.
    public init(path: String?, readOnly: Bool = false, busyTimeout: Double = 5) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        configuration.busyMode = .timeout(max(0, busyTimeout))
        configuration.label = "migrate"
        do {
            if let path, !(readOnly && !FileManager.default.fileExists(atPath: path)) {
                configuration.readonly = readOnly
                if !readOnly {
                    let timeout = busyTimeout
                    configuration.prepareDatabase { db in try Self.enableWAL(db, timeout: timeout) }
                }
                queue = try DatabaseQueue(path: path, configuration: configuration)
                self.path = path
            } else {
                queue = try DatabaseQueue(configuration: configuration)
                self.path = nil
            }
            scratch = try DatabaseQueue()
        } catch {
            throw EngineError.connection("cannot open SQLite database \(path ?? ":memory:"): \(Self.message(error))")
        }
    }

    /// Switches the file to WAL. The switch needs an exclusive lock, and SQLite answers
    /// SQLITE_BUSY at once (no busy handler) when two connections upgrade at the same time,
    /// so retry with a short pause until `timeout`.
    private static func enableWAL(_ db: Database, timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            do {
                if try String.fetchOne(db, sql: "PRAGMA journal_mode")?.lowercased() == "wal" { return }
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                return
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }

    // MARK: Lock and history

    public func withMigratorLock<T: Sendable>(timeout: Double, _ body: @Sendable () async throws -> T) async throws -> T {
        guard let path else { return try await body() }
        let lock = FileLock(path: path + ".migrate-lock")
        do {
            guard try lock.acquire(timeout: timeout) else {
                throw EngineError.lockTimeout(seconds: timeout, holder: lock.holder())
            }
        } catch let error as EngineLockError {
            throw EngineError.connection(error.description)
        }
        defer { lock.release() }
        return try await body()
    }

    public func prepareHistory() async throws {
        try await write { db in try SQLiteHistory.create(db) }
    }

    public func history() async throws -> [HistoryRecord] {
        try await read { db in try SQLiteHistory.all(db) }
    }

    public func recordFailure(_ record: HistoryRecord) async throws {
        try await write { db in
            try db.inTransaction(.immediate) {
                try SQLiteHistory.apply(.record(record), db)
                return .commit
            }
        }
    }

    // MARK: Running migrations

    public func validate(_ script: MigrationScript) async throws {
        try await scratch.read { db in
            for parsed in script.statements {
                try SQLiteValidation.check(parsed, file: script.file, db: db, dialect: self.dialect)
            }
        }
    }

    public func apply(_ script: MigrationScript, history change: HistoryChange) async throws -> [StatementPlan] {
        let started = Date()
        return try await write { db in
            try self.runInTransaction(script, db) {
                var change = change
                if case .record(var record) = change {
                    // The time the statements took, known only now, inside the same transaction.
                    record.executionMilliseconds = Int(Date().timeIntervalSince(started) * 1000)
                    change = .record(record)
                }
                try SQLiteHistory.apply(change, db)
            }
        }
    }

    public func dryRun(_ scripts: [MigrationScript]) async throws -> [[StatementPlan]] {
        let objects = try await read { db in try SQLiteCatalog.userObjects(db) }
        let copy = try DatabaseQueue()
        return try await copy.writeWithoutTransaction { db in
            for object in objects {
                try db.execute(sql: object.sql)
            }
            return try scripts.map { script in try self.runInTransaction(script, db) {} }
        }
    }

    /// Runs every statement of `script`, checks foreign keys, runs `finish`, commits.
    private func runInTransaction(_ script: MigrationScript, _ db: Database, finish: () throws -> Void) throws -> [StatementPlan] {
        try db.execute(sql: "PRAGMA foreign_keys = OFF")
        var plans: [StatementPlan] = []
        try db.inTransaction(.immediate) {
            for parsed in script.statements {
                plans.append(try run(parsed, file: script.file, db))
            }
            if let violation = try foreignKeyViolations(db) {
                let last = script.statements.last
                throw EngineError.statementFailed(
                    file: script.file, location: last?.location ?? SourceLocation(line: 1, column: 1),
                    statement: last?.source.text ?? "", message: violation)
            }
            try finish()
            return .commit
        }
        return plans
    }

    private func run(_ parsed: ParsedStatement, file: String, _ db: Database) throws -> StatementPlan {
        do {
            let strategy = try SQLiteStrategy.choose(for: parsed.statement, in: db, dialect: dialect)
            for step in strategy.steps {
                switch step {
                case .execute(let sql): try db.execute(sql: sql)
                case .rebuild(let rebuild, _): try rebuild.run(db, dialect: dialect)
                case .skip: break
                }
            }
            return StatementPlan(strategy: strategy.kind.name, lock: strategy.kind.lock, sql: strategy.sql,
                                 source: parsed.source.text, location: parsed.location)
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError.statementFailed(file: file, location: parsed.location, statement: parsed.source.text, message: Self.message(error))
        }
    }

    /// The first few rows `PRAGMA foreign_key_check` reports, worded; nil when there are none.
    private func foreignKeyViolations(_ db: Database) throws -> String? {
        let rows = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
        guard !rows.isEmpty else { return nil }
        let shown = rows.prefix(3).map { row -> String in
            let table: String = row[0]
            let rowid: Int64? = row[1]
            let parent: String = row[2]
            return "\(table) row \(rowid.map(String.init) ?? "?") references a missing row in \(parent)"
        }
        return "foreign key check failed (\(rows.count) violation\(rows.count == 1 ? "" : "s")): " + shown.joined(separator: "; ")
    }

    // MARK: Helpers

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await reportingErrors { try await self.queue.read(body) }
    }

    private func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await reportingErrors { try await self.queue.writeWithoutTransaction(body) }
    }

    /// Passes `EngineError`s on and words any other error as `EngineError.database`.
    private func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError.database(Self.message(error))
        }
    }

    static func message(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            if error.resultCode == .SQLITE_BUSY {
                return "the database is locked by another connection (waited for the busy timeout; raise --lock-timeout to wait longer)"
            }
            return error.message ?? error.description
        }
        return String(describing: error)
    }
}
