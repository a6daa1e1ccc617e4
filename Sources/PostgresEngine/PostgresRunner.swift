import Foundation
import PostgresNIO

/// Runs the steps of one migration on one connection: consecutive transactional steps in
/// one transaction, the others alone; every lock wait bounded by `lock_timeout` and
/// retried with backoff for up to the lock timeout (`--lock-timeout`) per step. What each committed step
/// needs to be undone is written to the journal (`PostgresJournal`) in the same
/// transaction, so a later failure, or the next run after a crash, can undo it.
final class PostgresRunner {
    let session: PostgresSession
    let version: Int
    /// Seconds each step may spend waiting for its locks, over all its tries.
    let totalTimeout: Double
    /// When the step running now stops retrying.
    private var deadline = Date()
    /// lock_timeout of one attempt inside a transaction; short, because while it waits
    /// for its lock every later query on the table queues behind it. A file's
    /// `SET lock_timeout` sets it for the rest of the migration.
    var attemptTimeout: Double
    private(set) var inTransaction = false
    /// Steps run in the open transaction, replayed when it is retried.
    private var pending: [PostgresStep] = []
    /// `atEnd` steps, run by `finish`.
    private var deferred: [PostgresStep] = []

    /// After each backfill batch, a pause of this many times the batch's duration, so the
    /// application's own queries get the CPU and I/O between batches.
    var pauseFactor = PostgresTuning.defaultPauseFactor

    init(session: PostgresSession, version: Int, lockTimeout: Double, attemptTimeout: Double) {
        self.session = session
        self.version = version
        self.totalTimeout = lockTimeout
        self.attemptTimeout = attemptTimeout
    }

    /// Runs one step; `progress` receives backfill batches (rows so far).
    func run(_ step: PostgresStep, progress: (Int) -> Void = { _ in }) async throws {
        try PostgresStep.checkFault(step.faultPoint)
        switch step.mode {
        case .lockAttempt(let seconds):
            attemptTimeout = seconds
        case .atEnd:
            deferred.append(step)
        case .transaction:
            try await inTransaction(step)
        case .ownTransaction:
            try await commit()
            try await inTransaction(step, patient: step.weakLock)
            try PostgresStep.checkFault("validation")
            try await commit()
        case .autocommit:
            try await commit()
            if let index = step.buildsIndex, try await PostgresCatalog(session: session).tableExists(index.name) {
                if index.ifNotExists { return }
                throw PostgresFailure(message: "relation \"\(index.name)\" already exists; nothing was built or dropped", sqlState: "42P07")
            }
            try await journal([step])
            if step.buildsIndex != nil { try PostgresStep.checkFault("index-build") }
            // Outside a transaction nothing queues behind a weak lock's wait: wait up to the deadline.
            try await withRetries(cleanup: ["RESET lock_timeout"] + step.onFailure) {
                try await self.session.execute("SET lock_timeout = '\(self.milliseconds(self.remaining))ms'")
                try await self.session.execute(step.sql)
            }
            try await session.execute("RESET lock_timeout")
        case .batches:
            try await commit()
            var total = 0
            var after = "NULL"
            while true {
                var row: [String?] = []
                let sql = step.sql.replacingOccurrences(of: "{after}", with: after)
                let batchStarted = Date()
                try await withRetries(cleanup: []) {
                    try await self.begin()
                    if step.skipsTriggers { try await self.session.execute("SET LOCAL session_replication_role = replica") }
                    row = try await self.session.rows(sql).first ?? []
                    try await self.session.execute("COMMIT")
                    self.inTransaction = false
                }
                let count = Int((row.first ?? nil) ?? "0") ?? 0
                total += count
                progress(total)
                if count == 0 { break }
                if row.count > 1, let key = row[1] { after = PostgresSQL.literal(key) }
                if total == count { try PostgresStep.checkFault(step.midFaultPoint) }
                let pause = Date().timeIntervalSince(batchStarted) * pauseFactor
                if pause > 0 { try await Task.sleep(nanoseconds: UInt64(min(pause, 1) * 1e9)) }
            }
        }
    }

    /// Commits the open transaction, if any, with the journal of its steps.
    func commit() async throws {
        guard inTransaction else { return }
        try await journalInTransaction(pending)
        try await session.execute("COMMIT")
        inTransaction = false
        pending = []
    }

    /// Runs the deferred steps and `sql` (the history change) in the last transaction,
    /// clears the journal, commits.
    func finish(_ history: PostgresQuery) async throws {
        var record = PostgresStep(history.sql, undo: [])
        record.query = history
        for step in deferred + [record, PostgresStep(PostgresJournal.clear(version: version), undo: [])] {
            try await inTransaction(step)
        }
        try PostgresStep.checkFault("history")
        try await session.execute("COMMIT")
        inTransaction = false
        pending = []
        deferred = []
    }

    /// Rolls back the open transaction, if any.
    func rollback() async {
        guard inTransaction else { return }
        try? await session.execute("ROLLBACK")
        inTransaction = false
        pending = []
    }

    // MARK: Transactions and retries

    /// - Parameter patient: wait for the lock up to the whole lock timeout in one try.
    private func inTransaction(_ step: PostgresStep, patient: Bool = false) async throws {
        try await withRetries(cleanup: []) {
            if !self.inTransaction {
                try await self.begin(patient: patient)
                for earlier in self.pending {
                    try await self.session.execute(earlier.statement)
                }
            }
            try await self.session.execute(step.statement)
        }
        pending.append(step)
    }

    private func begin(patient: Bool = false) async throws {
        try await session.execute("BEGIN")
        inTransaction = true
        try await session.execute("SET LOCAL lock_timeout = '\(milliseconds(patient ? remaining : min(attemptTimeout, remaining)))ms'")
    }

    /// Runs `body`; when a lock wait times out or the server breaks a deadlock, rolls
    /// back, runs `cleanup`, waits (50 ms doubling to 2 s, jittered) and tries again until
    /// the deadline.
    private func withRetries(cleanup: [String], _ body: () async throws -> Void) async throws {
        deadline = Date().addingTimeInterval(totalTimeout)
        var attempt = 0
        while true {
            do {
                try await body()
                return
            } catch let failure as PostgresFailure where failure.isLockTimeout || failure.isDeadlock {
                if inTransaction {
                    try? await session.execute("ROLLBACK")
                    inTransaction = false
                }
                for sql in cleanup { try? await session.execute(sql) }
                attempt += 1
                guard Date() < deadline else {
                    throw PostgresFailure(
                        message: "\(failure.message); gave up after \(attempt) tries in \(Int(totalTimeout))s",
                        sqlState: failure.sqlState)
                }
                let pause = min(2.0, 0.05 * pow(2, Double(min(attempt, 6)))) * Double.random(in: 0.5...1.0)
                try await Task.sleep(nanoseconds: UInt64(min(pause, max(remaining, 0.001)) * 1e9))
            } catch {
                for sql in cleanup { try? await session.execute(sql) }
                throw error
            }
        }
    }

    private var remaining: Double { max(0.001, deadline.timeIntervalSinceNow) }

    private func milliseconds(_ seconds: Double) -> Int { max(1, Int(seconds * 1000)) }

    // MARK: Journal

    /// Journals `steps` in a transaction of their own (before a step that runs outside one).
    private func journal(_ steps: [PostgresStep]) async throws {
        try await withRetries(cleanup: []) {
            try await self.session.execute("BEGIN")
            self.inTransaction = true
            try await self.journalInTransaction(steps)
            try await self.session.execute("COMMIT")
            self.inTransaction = false
        }
    }

    private func journalInTransaction(_ steps: [PostgresStep]) async throws {
        for step in steps {
            for entry in PostgresJournal.entries(for: step, version: version) {
                try await session.execute(entry)
            }
        }
    }
}
