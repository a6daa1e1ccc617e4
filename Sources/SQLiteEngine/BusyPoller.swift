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

    init(timeout: Double) {
        self.timeout = timeout
    }

    var callback: @Sendable (Int) -> Bool {
        { [self] tries in poll(tries) }
    }

    private func poll(_ tries: Int) -> Bool {
        let start: Date = lock.withLock {
            if tries == 0 || waitingSince == nil { waitingSince = Date() }
            return waitingSince ?? Date()
        }
        guard Date().timeIntervalSince(start) < timeout else { return false }
        usleep(250)
        return true
    }
}
