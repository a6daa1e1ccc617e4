/// When table rebuilds run online and how their batches are paced.
public struct OnlineTuning: Sendable, Hashable {
    /// Tables with fewer rows are rebuilt in one transaction, which is as short.
    public var minimumRows: Int
    /// How long one copy or cleanup batch may hold the write lock, in milliseconds.
    public var batchMilliseconds: Double
    /// After each batch the lock is left free for this many times the batch's duration
    /// (at least 2 ms). SQLite's busy handler polls at growing intervals (1, 2, 5, 10 ms,
    /// ...) rather than queueing, so writers only get in reliably when the free gap is
    /// longer than their polling interval. Short batches with equal pauses measured best
    /// (docs/benchmarks.md).
    public var pauseFactor: Double
    /// The pause factor while other connections are writing (a commit by another connection
    /// within the last few batches): writers whose busy handler sleeps 1, 2, 5 ms between
    /// tries, and who hold the lock for an fsync with `synchronous=FULL`, need longer free
    /// gaps; 3 halved their p99 (docs/benchmarks.md). Never below `pauseFactor`.
    public var busyPauseFactor: Double

    /// The pause when none is given: as long as the batch (at least 2 ms).
    public static let defaultPauseFactor = 1.0
    /// The pause while the application writes: three times the batch (at least 2 ms).
    public static let defaultBusyPauseFactor = 3.0

    /// Tuning with the defaults of the command line.
    public init(
        minimumRows: Int = 10_000, batchMilliseconds: Double = 1, pauseFactor: Double = OnlineTuning.defaultPauseFactor,
        busyPauseFactor: Double = OnlineTuning.defaultBusyPauseFactor
    ) {
        self.minimumRows = minimumRows
        self.batchMilliseconds = batchMilliseconds
        self.pauseFactor = pauseFactor
        self.busyPauseFactor = max(busyPauseFactor, pauseFactor)
    }
}
