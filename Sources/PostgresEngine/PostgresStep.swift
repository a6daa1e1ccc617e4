import Foundation
import MigrationEngine
import PostgresNIO
import SQLSyntax
import SchemaDiff

/// One piece of SQL the PostgreSQL engine runs for a statement of a migration file.
struct PostgresStep: Sendable {
    enum Mode: Sendable, Hashable {
        /// With the neighbouring transactional steps, in one transaction.
        case transaction
        /// In a transaction of its own (VALIDATE CONSTRAINT: a long scan under a weak lock).
        case ownTransaction
        /// Outside any transaction (CREATE/DROP INDEX CONCURRENTLY).
        case autocommit
        /// Repeated, each run its own short transaction, until it returns 0 (a backfill
        /// batch written as `SELECT count(*) ...` over an `UPDATE ... RETURNING`). When the
        /// SQL holds `{after}`, it is replaced by the key the previous batch returned in its
        /// second column (`NULL` at first): a keyset walk.
        case batches
        /// In the migration's last transaction, with the history row: the final DROP of a
        /// table or column renamed away earlier, so that until then it can be renamed back.
        case atEnd
        /// Nothing is sent: from here on each lock is tried for this many seconds at a time
        /// (`SET LOCAL lock_timeout` in each transaction), retried until `--lock-timeout`.
        /// A file's `SET lock_timeout = '50ms'`.
        case lockAttempt(Double)
    }

    var sql: String
    /// The statement with bind parameters, run instead of `sql` when set (the history row).
    var query: PostgresQuery?
    var mode: Mode
    /// What undoes this step once committed, when a later step of the migration fails;
    /// nil when it cannot be undone (data is gone).
    var undo: [PostgresStep]?
    /// Run when this step fails outside a transaction: drops the INVALID index a failed
    /// concurrent build leaves.
    var onFailure: [String] = []
    /// The index a concurrent build creates. Before journaling the build's undo, the runner
    /// checks that no relation has this name: a name taken fails the step with nothing run
    /// (or skips it under `IF NOT EXISTS`), so neither the undo nor the cleanup of a failed
    /// build can drop an index this run did not create.
    var buildsIndex: (name: QualifiedName, ifNotExists: Bool)?
    /// Test hook: `MIGRATE_FAULT=<point>` fails the migration before this step (after the
    /// first batch of a `batches` step).
    var faultPoint: String?
    /// A `batches` step whose transactions run with `session_replication_role = replica`,
    /// so that the tool's own row writes fire none of the application's triggers.
    var skipsTriggers = false
    /// Test hook for `batches` steps: fails after the first batch.
    var midFaultPoint: String?
    /// The step takes only a lock the application's reads and writes do not queue behind
    /// (SHARE UPDATE EXCLUSIVE: VALIDATE CONSTRAINT), so it may wait for it as long as the
    /// lock timeout allows, in one try.
    var weakLock: Bool

    init(
        _ sql: String, _ mode: Mode = .transaction, undo: [PostgresStep]?, onFailure: [String] = [], faultPoint: String? = nil,
        weakLock: Bool = false
    ) {
        self.sql = sql
        self.mode = mode
        self.undo = undo
        self.onFailure = onFailure
        self.faultPoint = faultPoint
        self.weakLock = weakLock
    }

    /// What the runner executes.
    var statement: PostgresQuery { query ?? PostgresQuery(unsafeSQL: sql) }

    /// The test hooks at `point` (`TestHooks`); throws when `MIGRATE_FAULT` names it.
    static func checkFault(_ point: String?) throws {
        if let point, TestHooks.reached(point) {
            throw PostgresFailure(message: "injected fault at \(point) (MIGRATE_FAULT)", sqlState: nil)
        }
    }
}

/// How one statement runs on PostgreSQL: what `--dry-run` shows and what `apply` runs.
struct PostgresStrategy: Sendable {
    /// `instant`, `online`, `native`, `blocking`, `pass-through`, `no-op`.
    var strategy: Strategy
    /// The strongest lock taken and for how long, in words.
    var lock: String
    var steps: [PostgresStep]
}
