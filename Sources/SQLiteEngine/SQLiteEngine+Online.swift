import Foundation
import GRDB
import MigrationEngine
import SQLSyntax

/// The online rebuilds' loops: each step its own short transaction, with progress.
extension SQLiteEngine {
    func planRebuild(_ group: OnlineGroup, script: MigrationScript) async throws -> OnlineRebuild {
        try await failing(group, script) {
            try await self.read { db in
                try OnlineRebuild.plan(
                    table: group.table, changes: group.changes, migrationID: script.id, version: script.version,
                    rowsTotal: group.rows, db: db, dialect: self.dialect)
            }
        }
    }

    func prepare(_ rebuild: OnlineRebuild, group: OnlineGroup, script: MigrationScript) async throws -> OnlineState {
        try await failing(group, script) {
            try await self.write { db in
                var state: OnlineState?
                try db.inTransaction(.immediate) {
                    state = try rebuild.prepare(db)
                    return .commit
                }
                guard let state else { throw RebuildError("internal: no state recorded") }
                return state
            }
        }
    }

    /// Copies every row in paced batches, then checks the shadow's foreign keys.
    func copy(
        _ rebuild: OnlineRebuild, state initial: OnlineState, group: OnlineGroup, script: MigrationScript,
        progress: @escaping ProgressHandler
    ) async throws -> OnlineState {
        try await failing(group, script) {
            try FaultInjection.check(.afterShadow)
            let state = try await inBatchMode {
                try await self.copyRows(rebuild, state: initial, script: script, progress: progress)
            }
            try await self.read { db in try rebuild.checkForeignKeys(db) }
            try FaultInjection.check(.beforeCutover)
            progress(
                RateMeter(total: rebuild.rowsTotal).progress(
                    migrationID: script.id, table: rebuild.table, phase: .cutover, done: state.rowsDone, batchRows: 0, batchMilliseconds: 0))
            return state
        }
    }

    private func copyRows(
        _ rebuild: OnlineRebuild, state initial: OnlineState, script: MigrationScript,
        progress: @escaping ProgressHandler
    ) async throws -> OnlineState {
        var state = initial
        var pacer = BatchPacer(tuning: tuning)
        let meter = RateMeter(total: rebuild.rowsTotal)
        while true {
            let before = state.rowsDone
            let limit = pacer.limit
            let current = state
            let (more, after, held, version) = try await write { db in
                var next = current
                var more = false
                var start = Date()
                var version = 0
                try db.inTransaction(.immediate) {
                    start = Date()  // the lock is held from here, not while waiting for it
                    version = try BatchPacer.dataVersion(db)
                    more = try rebuild.copyBatch(db, state: &next, limit: limit)
                    return .commit
                }
                return (more, next, Date().timeIntervalSince(start) * 1000, version)
            }
            state = after
            guard more else { return state }
            pacer.record(rows: limit, milliseconds: held, dataVersion: version)
            if pacer.batches == 2 { try FaultInjection.check(.midCopy) }
            progress(
                meter.progress(
                    migrationID: script.id, table: rebuild.table, phase: .copy, done: state.rowsDone,
                    batchRows: state.rowsDone - before, batchMilliseconds: held))
            try await pause(after: held, pacer: &pacer)
        }
    }

    /// Leaves the write lock free after a batch: checkpoints when the cadence says so (a
    /// PASSIVE checkpoint takes no write lock), flushes the batch's WAL frames to disk while
    /// others write (`WALFlush`), then sleeps the whole pause. The checkpoint does not count
    /// toward the pause: counted, the writers' p99 grew (docs/benchmarks.md), so application
    /// commits apparently wait on it too.
    private func pause(after held: Double, pacer: inout BatchPacer) async throws {
        if pacer.cadence.batchDone() {
            let frames = try await write { db in
                (try? Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")).flatMap { $0[1] as Int? }
            }
            pacer.cadence.checkpointed(frames: frames ?? 0)
        }
        if pacer.othersWriting, let path { WALFlush.flush(databasePath: path) }
        try await Task.sleep(nanoseconds: pacer.pauseNanoseconds(after: held))
    }

    /// Runs `body` with batch settings on the migrator's connection, restoring them after:
    /// batches commit without waiting for the disk (`synchronous=NORMAL`: in WAL mode a power
    /// loss may lose the last batches, never consistency, and the position is saved with each
    /// batch), and checkpoints run between batches instead of inside them.
    func inBatchMode<T>(_ body: () async throws -> T) async throws -> T {
        let saved = try await write { db in
            let synchronous = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? 2
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            return synchronous
        }
        func restore() async throws {
            try await write { db in
                try db.execute(sql: "PRAGMA synchronous = \(saved)")
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 1000")
            }
        }
        do {
            let result = try await body()
            try await restore()
            return result
        } catch {
            try? await restore()
            throw error
        }
    }

    /// Deletes the old table's rows in paced batches, then drops it and the state record.
    func cleanUp(table: String, migrationID: String, shown: String, state: OnlineState, progress: @escaping ProgressHandler) async throws {
        let total = try await read { db in
            try SQLiteCatalog.tableExists(db, table) ? try Int.fetchOne(db, sql: "SELECT count(*) FROM \(SQLIdentifier.quote(table))") ?? 0 : 0
        }
        let meter = RateMeter(total: total)
        // A table that is gone (or empty) has nothing to delete; the batches need it to exist.
        let done =
            total == 0
            ? 0
            : try await inBatchMode {
                try await self.deleteRows(table: table, migrationID: migrationID, shown: shown, meter: meter, progress: progress)
            }
        try await write { db in
            try db.inTransaction(.immediate) {
                try OnlineRebuild.dropEmptied(db, table: table, state: state)
                return .commit
            }
            _ = try? Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
        }
        progress(meter.progress(migrationID: migrationID, table: shown, phase: .done, done: done, batchRows: 0, batchMilliseconds: 0))
    }

    private func deleteRows(
        table: String, migrationID: String, shown: String, meter: RateMeter,
        progress: @escaping ProgressHandler
    ) async throws -> Int {
        var pacer = BatchPacer(tuning: tuning)
        var done = 0
        while true {
            let limit = pacer.limit
            let (deleted, held, version) = try await write { db in
                var deleted = 0
                var start = Date()
                var version = 0
                try db.inTransaction(.immediate) {
                    start = Date()
                    version = try BatchPacer.dataVersion(db)
                    deleted = try OnlineRebuild.deleteBatch(db, table: table, limit: limit)
                    return .commit
                }
                return (deleted, Date().timeIntervalSince(start) * 1000, version)
            }
            guard deleted > 0 else { return done }
            done += deleted
            pacer.record(rows: limit, milliseconds: held, dataVersion: version)
            if pacer.batches == 1 { try FaultInjection.check(.cleanup) }
            progress(meter.progress(migrationID: migrationID, table: shown, phase: .cleanup, done: done, batchRows: deleted, batchMilliseconds: held))
            try await pause(after: held, pacer: &pacer)
        }
    }

    /// Undoes an unfinished rebuild: triggers first (so writers stop paying for them), then
    /// the shadow's rows in batches, then the shadow. The original table was never changed.
    func abort(table: String, shadow: String, state: OnlineState) async throws {
        try await write { db in
            try db.inTransaction(.immediate) {
                try OnlineRebuild.dropTriggers(db, table: table)
                return .commit
            }
        }
        try await cleanUp(table: shadow, migrationID: "", shown: table, state: state) { _ in }
    }

    /// Online operations a crash interrupted (`ScriptRunner`).
    public func interruptedOperations() async throws -> [InterruptedOperation] {
        let holder = path.flatMap { FileLock.liveHolder(path: $0 + ".migrate-lock") }
        return try await read { db in
            try OnlineState.all(db).map {
                InterruptedOperation(version: $0.version, table: $0.tableName, phase: $0.phase.rawValue, rowsDone: $0.rowsDone, holder: holder)
            }
        }
    }

    /// Finishes or undoes interrupted operations (`ScriptRunner`).
    public func recover(progress: @escaping ProgressHandler) async throws -> [String] {
        var messages: [String] = []
        for state in try await read({ db in try OnlineState.all(db) }) {
            switch state.phase {
            case .copy:
                try await abort(table: state.tableName, shadow: state.shadow, state: state)
                messages.append(
                    "removed the unfinished online rebuild of \(state.tableName) (migration \(state.version) was not applied; it runs again)")
            case .cleanup:
                try await cleanUp(table: state.oldTable, migrationID: String(state.version), shown: state.tableName, state: state, progress: progress)
                messages.append("finished deleting the old copy of \(state.tableName) left by migration \(state.version)")
            }
        }
        return messages
    }

    /// Runs `body`, naming the group's first statement in any failure.
    private func failing<T>(_ group: OnlineGroup, _ script: MigrationScript, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as EngineError {
            throw error
        } catch {
            let parsed = script.statements[group.statements[0]]
            throw EngineError.statementFailed(
                location: parsed.location.in(file: script.file), statement: parsed.source.text,
                message: "online rebuild of \(group.table): \(Self.message(error))",
                aftermath: .init(lockWait: Self.isBusy(error)))
        }
    }
}

/// Sizes batches to the time budget and paces them: after each batch the lock stays free
/// for `pauseFactor` times the batch, or `busyPauseFactor` times while other connections
/// write (at least 2 ms either way).
struct BatchPacer {
    let tuning: OnlineTuning
    private(set) var limit = 500
    private(set) var batches = 0
    var cadence = CheckpointCadence()
    /// Batches since another connection last committed (`PRAGMA data_version` changed).
    private(set) var batchesSinceOtherWrite = Int.max
    private var lastDataVersion: Int?

    /// How many batches without another connection's commit before the pause shortens again.
    static let activityWindow = 16

    init(tuning: OnlineTuning) {
        self.tuning = tuning
    }

    /// `PRAGMA data_version`: changes when another connection commits (not this one).
    static func dataVersion(_ db: Database) throws -> Int {
        // Cached: it runs inside every batch, while the lock is held.
        try Int.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
    }

    /// Counts a batch of `rows` that held the lock `milliseconds`, resizing the next one to
    /// the budget; `dataVersion` is the batch's `PRAGMA data_version`.
    mutating func record(rows: Int, milliseconds: Double, dataVersion: Int) {
        batches += 1
        let ratio = tuning.batchMilliseconds / max(milliseconds, 0.05)
        limit = min(max(Int(Double(limit) * min(max(ratio, 0.5), 1.5)), 16), 1_000_000)
        if let last = lastDataVersion, last != dataVersion {
            batchesSinceOtherWrite = 0
        } else if batchesSinceOtherWrite < Int.max {
            batchesSinceOtherWrite += 1
        }
        lastDataVersion = dataVersion
    }

    /// Whether another connection committed within the last `activityWindow` batches.
    var othersWriting: Bool { batchesSinceOtherWrite < Self.activityWindow }

    func pauseNanoseconds(after milliseconds: Double) -> UInt64 {
        let factor = othersWriting ? tuning.busyPauseFactor : tuning.pauseFactor
        return UInt64(max(2, milliseconds * factor) * 1_000_000)
    }
}

/// When the migrator checkpoints between batches: often enough that the WAL never reaches
/// the 1,000 frames at which an application's commit runs a checkpoint itself (inside that
/// write's latency), rarely enough that a page several batches wrote is copied once and the
/// checkpoint's two fsyncs are not paid after every batch. The measurements that chose
/// about every 400 frames over every batch are in docs/benchmarks.md.
struct CheckpointCadence {
    /// Frames the WAL may gather between the migrator's checkpoints.
    static let targetFrames = 400
    /// Checkpoint after this many batches.
    private(set) var every = 1
    private var since = 0

    /// Counts a batch; true when it is time to checkpoint.
    mutating func batchDone() -> Bool {
        since += 1
        return since >= every
    }

    /// Adjusts the cadence to the number of frames the WAL held at the checkpoint.
    mutating func checkpointed(frames: Int) {
        since = 0
        guard frames > 0 else { return }
        every = max(1, min(64, every * Self.targetFrames / frames))
    }
}

/// Rows per second and ETA over a phase.
struct RateMeter {
    let total: Int
    let start = Date()

    func progress(migrationID: String, table: String, phase: OperationProgress.Phase, done: Int, batchRows: Int, batchMilliseconds: Double)
        -> OperationProgress
    {
        let seconds = Date().timeIntervalSince(start)
        // A phase that just started (the cut-over) has no rate yet.
        let rate = seconds >= 0.05 ? Double(done) / seconds : 0
        let eta = rate > 0 && total > done ? Double(total - done) / rate : nil
        return OperationProgress(
            migrationID: migrationID, table: table, phase: phase, rowsDone: done, rowsTotal: max(total, done),
            rowsPerSecond: rate, etaSeconds: eta, batchRows: batchRows, batchMilliseconds: batchMilliseconds)
    }
}

/// The online rebuilds of one migration, as the final transaction sees them.
struct OnlineSteps {
    let groups: [OnlineGroup]
    /// Prepared rebuilds by their group's first statement; empty in a dry run.
    let rebuilds: [Int: (OnlineRebuild, OnlineState)]

    var statementIndexes: Set<Int> {
        rebuilds.isEmpty ? [] : Set(groups.flatMap(\.statements))
    }

    /// Runs statement `index` if it belongs to an online rebuild: the first statement of a
    /// group cuts over, the others are already done. Returns nil for other statements.
    /// In a dry run (no prepared rebuild), returns nil too; `label` then marks the plan.
    func run(_ index: Int, _ parsed: ParsedStatement, db: Database, file: String) throws -> StatementExecution? {
        guard let group = groups.first(where: { $0.statements.contains(index) }), !rebuilds.isEmpty else { return nil }
        if index == group.statements[0], let (rebuild, state) = rebuilds[index] {
            var state = state
            do {
                try rebuild.cutOver(db, state: &state)
            } catch {
                throw EngineError.statementFailed(
                    location: parsed.location.in(file: file), statement: parsed.source.text,
                    message: "cut-over of \(group.table): \(SQLiteEngine.message(error))",
                    aftermath: .init(lockWait: SQLiteEngine.isBusy(error)))
            }
        }
        return label(index, parsed)
    }

    /// The plan of a statement an online rebuild carries out.
    func label(_ index: Int, _ parsed: ParsedStatement) -> StatementExecution? {
        guard let group = groups.first(where: { $0.statements.contains(index) }) else { return nil }
        let sql =
            index == group.statements[0]
            ? "-- online rebuild of \(SQLIdentifier.quote(group.table)) (\(group.rows) rows): shadow table, mirror triggers, copy in batches of about 1 ms (batch_ms) each followed by a pause, O(1) cut-over"
            : "-- carried out by the online rebuild of \(SQLIdentifier.quote(group.table)) above"
        return StatementExecution(
            strategy: .online, lock: "write lock only per batch (a few ms) and for the O(1) cut-over",
            sql: [sql], source: parsed.source.text, location: parsed.location)
    }
}
