import Foundation

/// The test hooks both engines share, named by a point in their work (`mid-copy`,
/// `mid-backfill`, ...). Unset, they do nothing:
/// - `MIGRATE_FAULT=<point>`: the engine fails there (`reached` returns true; each engine
///   throws its own error);
/// - `MIGRATE_KILL=<point>`: the process dies there at once, as under `kill -9`;
/// - `MIGRATE_WAIT=<point>:<file>`: it waits there until the file exists, so a test can
///   look at a migration in progress without racing it.
public enum TestHooks {
    /// Runs the kill and wait hooks for `point`.
    /// - Returns: whether `MIGRATE_FAULT` names `point`.
    public static func reached(_ point: String) -> Bool {
        let environment = ProcessInfo.processInfo.environment
        if environment["MIGRATE_KILL"] == point {
            kill(getpid(), SIGKILL)
        }
        if let wait = environment["MIGRATE_WAIT"], wait.hasPrefix(point + ":") {
            let file = String(wait.dropFirst(point.count + 1))
            while !FileManager.default.fileExists(atPath: file) { usleep(10_000) }
        }
        return environment["MIGRATE_FAULT"] == point
    }
}
