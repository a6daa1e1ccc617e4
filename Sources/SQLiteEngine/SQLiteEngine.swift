import Foundation
import GRDB
import MigrationEngine
import SQLSyntax
import SchemaDiff
import SchemaModel

/// The embedded engine: a SQLite file (WAL mode) through GRDB.
///
/// Table rebuilds of large tables run online first (`OnlineRebuild`: shadow, triggers,
/// batched copy), outside any long transaction. Then the migration's statements run in one
/// `BEGIN IMMEDIATE` transaction with foreign keys off (turned off before the transaction,
/// where the pragma works), where each online rebuild only cuts over; then
/// `PRAGMA foreign_key_check` of the tables the migration touched, the history row, and
/// COMMIT. Any failure rolls the transaction back and removes the shadows.
public final class SQLiteEngine: DatabaseEngine {
    let queue: DatabaseQueue
    /// The file, or nil for an in-memory database.
    let path: String?
    let dialect = SQLiteDialect()
    /// How this engine spells types and expressions (`SchemaInspector`).
    public var sqlDialect: any SQLDialect { dialect }
    /// What this engine is and does (`SchemaInspector`).
    public var capabilities: any EngineCapabilities { SQLiteCapabilities() }
    /// An empty database for syntax checks.
    private let scratch: DatabaseQueue
    let tuning: OnlineTuning
    /// The busy handler, which knows whether the latest wait for the write lock gave up.
    let poller: BusyPoller

    /// Opens the database.
    /// - Parameters:
    ///   - path: the file; nil for `sqlite::memory:`.
    ///   - readOnly: open without creating or changing anything; a missing file reads as empty.
    ///   - busyTimeout: seconds to wait for another connection's write lock.
    ///   - tuning: when and how rebuilds run online.
    public init(path: String?, readOnly: Bool = false, busyTimeout: Double = 5, tuning: OnlineTuning = OnlineTuning()) throws {
        self.tuning = tuning
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let poller = BusyPoller(timeout: max(0, busyTimeout))
        self.poller = poller
        configuration.busyMode = .callback(poller.callback)
        configuration.label = "migrate"
        if ProcessInfo.processInfo.environment["MIGRATE_TRACE_SQL"] != nil {
            // Debugging aid: every statement SQLite runs, on standard error.
            configuration.prepareDatabase { db in
                db.trace { FileHandle.standardError.write(Data("sql: \($0)\n".utf8)) }
            }
        }
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

    /// Runs `body` holding the migrator lock (`MigratorLock`).
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

    /// Creates the history table if it is missing (`HistoryStore`).
    public func prepareHistory() async throws {
        try await write { db in try SQLiteHistory.create(db) }
    }

    /// The history rows, oldest first (`HistoryStore`).
    public func history() async throws -> [HistoryRecord] {
        try await read { db in try SQLiteHistory.all(db) }
    }

    /// The live schema (`SchemaInspector`).
    public func introspect() async throws -> Schema {
        try await read { db in try SQLiteInspector.schema(db) }
    }

    /// Rows of the tables named in `tables` that exist (`SchemaInspector`): the largest
    /// rowid, read from the end of the b-tree whatever the table's size (an estimate that
    /// counts deleted rows), counted for a WITHOUT ROWID table. No bytes: SQLite reads a
    /// table's pages to size it, and the estimates go by rows.
    public func tableSizes(_ tables: Set<String>) async throws -> [String: TableSize] {
        guard !tables.isEmpty else { return [:] }
        return try await read { db in
            let existing = Set(try String.fetchAll(db, sql: "SELECT lower(name) FROM sqlite_schema WHERE type = 'table'"))
            var sizes: [String: TableSize] = [:]
            for table in tables where existing.contains(table.lowercased()) {
                let name = SQLIdentifier.quote(table)
                let last = (try? Int.fetchOne(db, sql: "SELECT coalesce(max(rowid), 0) FROM \(name)")) ?? nil
                let rows = try last ?? Int.fetchOne(db, sql: "SELECT count(*) FROM \(name)") ?? 0
                sizes[table] = TableSize(rows: rows)
            }
            return sizes
        }
    }

    /// Records the failure; when the migration failed because the write lock stayed held
    /// for the whole timeout, tries once without waiting again.
    public func recordFailure(_ record: HistoryRecord) async throws {
        let write = {
            try await self.write { db in
                try db.inTransaction(.immediate) {
                    try SQLiteHistory.apply(.record(record), db)
                    return .commit
                }
            }
        }
        if poller.lastWaitGaveUp {
            try await poller.withoutWaiting(write)
        } else {
            try await write()
        }
    }

    // MARK: Running migrations

    /// Checks every statement can run here, touching nothing (`ScriptRunner`).
    public func validate(_ script: MigrationScript) async throws {
        try await scratch.read { db in
            for parsed in script.statements {
                try SQLiteValidation.check(parsed, file: script.file, db: db, dialect: self.dialect)
            }
        }
        guard path != nil else { return }
        let groups = try await read { db in
            try OnlinePlanner.groups(script.statements, db: db, dialect: self.dialect, minimumRows: self.tuning.minimumRows)
        }
        try await checkDiskSpace(groups, file: script.file)
    }

    /// Refuses, before anything runs, online rebuilds the disk has no room for. `apply`
    /// checks again with the groups it is about to run, since space can go in between.
    func checkDiskSpace(_ groups: [OnlineGroup], file: String) async throws {
        guard let path, !groups.isEmpty else { return }
        try await read { db in try DiskSpace.check(tables: groups.map(\.table), databasePath: path, file: file, db) }
    }

    /// Applies one migration, all or nothing (`ScriptRunner`).
    public func apply(_ script: MigrationScript, history change: HistoryChange, progress: @escaping ProgressHandler) async throws
        -> [StatementExecution]
    {
        let started = Date()
        let groups = try await read { db in
            try OnlinePlanner.groups(script.statements, db: db, dialect: self.dialect, minimumRows: self.tuning.minimumRows)
        }
        try await checkDiskSpace(groups, file: script.file)
        var rebuilds: [Int: (OnlineRebuild, OnlineState)] = [:]
        var begun: [(OnlineRebuild, OnlineState)] = []
        do {
            for group in groups {
                let rebuild = try await planRebuild(group, script: script)
                var state = try await prepare(rebuild, group: group, script: script)
                begun.append((rebuild, state))
                state = try await copy(rebuild, state: state, group: group, script: script, progress: progress)
                rebuilds[group.statements[0]] = (rebuild, state)
            }
            let online = OnlineSteps(groups: groups, rebuilds: rebuilds)
            let plans = try await write { db in
                try self.runInTransaction(script, db, online: online) {
                    try FaultInjection.check(.cutover)
                    var change = change
                    if case .record(var record) = change {
                        // The time the statements took, known only now, inside the same transaction.
                        record.executionMilliseconds = Int(Date().timeIntervalSince(started) * 1000)
                        change = .record(record)
                    }
                    try SQLiteHistory.apply(change, db)
                }
            }
            for (rebuild, state) in rebuilds.values.sorted(by: { $0.1.id < $1.1.id }) {
                // The migration is committed; a failure here leaves the state for `recover`.
                try? await cleanUp(table: rebuild.oldTable, migrationID: script.id, shown: rebuild.table, state: state, progress: progress)
            }
            return plans
        } catch {
            for (rebuild, state) in begun.reversed() {
                try? await abort(table: rebuild.table, shadow: rebuild.shadow, state: state)
            }
            throw error
        }
    }

    /// Runs the scripts against a schema-only copy (`ScriptRunner`).
    public func dryRun(_ scripts: [MigrationScript]) async throws -> [[StatementExecution]] {
        let objects = try await read { db in try SQLiteCatalog.userObjects(db) }
        var groups: [[OnlineGroup]] = []
        for script in scripts {
            groups.append(
                try await read { db in
                    try OnlinePlanner.groups(script.statements, db: db, dialect: self.dialect, minimumRows: self.tuning.minimumRows)
                })
        }
        let copy = try DatabaseQueue()
        let allGroups = groups
        return try await copy.writeWithoutTransaction { db in
            for object in objects where !object.name.hasPrefix("_migrate_") {
                try db.execute(sql: object.sql)
            }
            return try zip(scripts, allGroups).map { script, groups in
                try self.runInTransaction(script, db, online: OnlineSteps(groups: groups, rebuilds: [:])) {}
            }
        }
    }

    /// Runs every statement of `script` (cutting over the prepared online rebuilds), checks
    /// foreign keys of what it touched, runs `finish`, commits.
    private func runInTransaction(_ script: MigrationScript, _ db: Database, online: OnlineSteps, finish: () throws -> Void) throws
        -> [StatementExecution]
    {
        try db.execute(sql: "PRAGMA foreign_keys = OFF")
        var plans: [StatementExecution] = []
        try db.inTransaction(.immediate) {
            let scope = try ForeignKeyScope.tables(script.statements, db: db, skipping: online.statementIndexes)
            for (index, parsed) in script.statements.enumerated() {
                if let plan = try online.run(index, parsed, db: db, file: script.file) {
                    plans.append(plan)
                } else {
                    let plan = try run(parsed, file: script.file, db)
                    plans.append(online.label(index, parsed) ?? plan)
                }
            }
            if let violation = try ForeignKeyScope.violations(db, scope: scope) {
                let last = script.statements.last
                throw EngineError.statementFailed(
                    location: (last?.location ?? SourceLocation(line: 1, column: 1)).in(file: script.file),
                    statement: last?.source.text ?? "", message: violation)
            }
            try finish()
            return .commit
        }
        return plans
    }

    func run(_ parsed: ParsedStatement, file: String, _ db: Database) throws -> StatementExecution {
        do {
            let strategy = try SQLiteStrategy.choose(for: parsed.statement, in: db, dialect: dialect)
            for step in strategy.steps {
                switch step {
                case .execute(let sql): try db.execute(sql: sql)
                case .rebuild(let rebuild, _): try rebuild.run(db, dialect: dialect)
                case .skip: break
                }
            }
            return StatementExecution(
                strategy: strategy.kind, lock: SQLiteStrategy.lock(strategy.kind), sql: strategy.sql,
                source: parsed.source.text, location: parsed.location)
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError.statementFailed(
                location: parsed.location.in(file: file), statement: parsed.source.text, message: Self.message(error),
                aftermath: .init(lockWait: Self.isBusy(error)))
        }
    }

    // MARK: Helpers

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await reportingErrors { try await self.queue.read(body) }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await reportingErrors { try await self.queue.writeWithoutTransaction(body) }
    }

    /// Passes `EngineError`s on and words any other error as `EngineError.database`.
    private func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as EngineError {
            throw error
        } catch {
            throw Self.isBusy(error) ? EngineError.busy(Self.message(error)) : EngineError.database(Self.message(error))
        }
    }

    /// Whether SQLite gave up waiting for another connection's lock.
    static func isBusy(_ error: any Error) -> Bool {
        (error as? DatabaseError)?.resultCode == .SQLITE_BUSY
    }

    static func message(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            if error.resultCode == .SQLITE_BUSY {
                return "the database is locked by another connection (waited for the busy timeout)"
            }
            return error.message ?? error.description
        }
        return String(describing: error)
    }
}
