/// How the PostgreSQL engine paces its online work.
public struct PostgresTuning: Sendable, Hashable {
    /// The backfill's pause after each batch when none is given: twice the batch's
    /// duration (measurements in docs/benchmarks.md).
    public static let defaultPauseFactor = 2.0

    /// lock_timeout of one try at a strong lock, in seconds: short, because while it waits
    /// every later query on the table queues behind it.
    public var attemptTimeout: Double
    /// Tables with fewer rows take a rewriting type change as PostgreSQL does it.
    public var onlineMinimumRows: Int
    /// Pause after each backfill batch, in multiples of the batch's duration.
    public var pauseFactor: Double
    /// Consecutive concurrent index builds on different tables run at once, up to this many.
    public var maxConcurrentOperations: Int

    /// Tuning with the defaults of the command line.
    public init(
        attemptTimeout: Double = 0.05, onlineMinimumRows: Int = 10_000, pauseFactor: Double = PostgresTuning.defaultPauseFactor,
        maxConcurrentOperations: Int = 4
    ) {
        self.attemptTimeout = attemptTimeout
        self.onlineMinimumRows = onlineMinimumRows
        self.pauseFactor = pauseFactor
        self.maxConcurrentOperations = max(1, maxConcurrentOperations)
    }
}
