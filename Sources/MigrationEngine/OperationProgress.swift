/// Progress of one long operation (an online table rebuild), reported while it runs.
public struct OperationProgress: Sendable, Hashable, Codable {
    /// Where a long operation is.
    public enum Phase: String, Sendable, Hashable, Codable {
        /// Copying rows into the new table in short batches.
        case copy
        /// Swapping the new table in, in one short transaction.
        case cutover = "cut-over"
        /// Deleting the old table's rows in short batches.
        case cleanup
        /// Filling a new or changed column of existing rows in short batches (PostgreSQL).
        case backfill
        /// Building an index (PostgreSQL `CREATE INDEX CONCURRENTLY`); `detail` says the
        /// server's phase, the counts are in `unit`s.
        case index
        case done
    }

    /// The migration the operation belongs to.
    public var migrationID: String
    /// The table worked on.
    public var table: String
    /// Where it is.
    public var phase: Phase
    /// Rows done so far.
    public var rowsDone: Int
    /// Rows in all (an estimate while it runs).
    public var rowsTotal: Int
    /// Rows per second so far.
    public var rowsPerSecond: Double
    /// Seconds until the phase ends, at the current rate.
    public var etaSeconds: Double?
    /// The last batch: rows and how long it held the write lock.
    public var batchRows: Int
    /// How long the last batch held its lock.
    public var batchMilliseconds: Double
    /// What `rowsDone` and `rowsTotal` count: `rows`, or `blocks` / `tuples` while an index builds.
    public var unit: String = "rows"
    /// The engine's own words for where it is (`building index: scanning table`), if any.
    public var detail: String?

    /// A progress report.
    public init(
        migrationID: String, table: String, phase: Phase, rowsDone: Int, rowsTotal: Int, rowsPerSecond: Double,
        etaSeconds: Double?, batchRows: Int, batchMilliseconds: Double
    ) {
        self.migrationID = migrationID
        self.table = table
        self.phase = phase
        self.rowsDone = rowsDone
        self.rowsTotal = rowsTotal
        self.rowsPerSecond = rowsPerSecond
        self.etaSeconds = etaSeconds
        self.batchRows = batchRows
        self.batchMilliseconds = batchMilliseconds
    }
}

/// Receives progress; called from the engine's work, so it must return quickly.
public typealias ProgressHandler = @Sendable (OperationProgress) -> Void

/// An online operation found unfinished in the database: interrupted by a crash or kill,
/// or still running in another process (`holder`).
public struct InterruptedOperation: Sendable, Hashable {
    /// The migration it belongs to.
    public var version: Int
    /// The table it works on; empty when the engine does not say.
    public var table: String
    /// Where it stopped, in the engine's words.
    public var phase: String
    /// Rows done before it stopped.
    public var rowsDone: Int
    /// Who runs it right now (the migrator lock's live holder, e.g. `pid 4242`); nil when
    /// nobody does, i.e. it was interrupted and the next `up` or `down` finishes or undoes it.
    public var holder: String?

    /// An interrupted operation.
    public init(version: Int, table: String, phase: String, rowsDone: Int, holder: String? = nil) {
        self.version = version
        self.table = table
        self.phase = phase
        self.rowsDone = rowsDone
        self.holder = holder
    }

    /// True when no live process is working on it.
    public var isInterrupted: Bool { holder == nil }
}
