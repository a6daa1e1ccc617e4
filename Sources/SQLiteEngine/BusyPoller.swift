import Foundation

/// The migrator's busy handler: while another connection holds the write lock, retry every
/// 0.25 ms until `timeout` seconds have passed.
///
/// SQLite's own handler (`busy_timeout`) sleeps 1, 2, 5, 10 ... up to 100 ms between tries,
/// so against an application that writes continuously it keeps missing the short moments
/// when the lock is free, and an online copy crawls. The migrator holds the lock only a few
/// milliseconds per batch and then pauses, so polling eagerly does not starve the application.
final class BusyPoller: @unchecked Sendable {
    private let timeout: Double
    private let lock = NSLock()
    private var waitingSince: Date?
    private var gaveUp = false
    private var waits = true

    init(timeout: Double) {
        self.timeout = timeout
    }

    var callback: @Sendable (Int) -> Bool {
        { [self] tries in poll(tries) }
    }

    /// Whether the latest wait ended because the timeout passed (the lock is still held).
    var lastWaitGaveUp: Bool { lock.withLock { gaveUp } }

    /// Runs `body` without waiting for the lock: after a wait that gave up, a second wait
    /// for the same lock (to record the failure) would double the time `--lock-timeout` allows.
    func withoutWaiting<T>(_ body: () async throws -> T) async rethrows -> T {
        lock.withLock { waits = false }
        defer { lock.withLock { waits = true } }
        return try await body()
    }

    private func poll(_ tries: Int) -> Bool {
        let (start, mayWait): (Date, Bool) = lock.withLock {
            if tries == 0 || waitingSince == nil {
                waitingSince = Date()
                gaveUp = false
            }
            return (waitingSince ?? Date(), waits)
        }
        guard mayWait, Date().timeIntervalSince(start) < timeout else {
            lock.withLock { gaveUp = true }
            return false
        }
        usleep(250)
        return true
    }
}
