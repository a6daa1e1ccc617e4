import Foundation

/// The test hooks both engines share, named by a point in their work (`mid-copy`,
/// `mid-backfill`, ...). Unset, they do nothing:
/// - `MIGRATE_FAULT=<point>`: the engine fails there (`reached` returns true; each engine
///   throws its own error);
/// - `MIGRATE_KILL=<point>`: the process dies there at once, as under `kill -9`;
/// - `MIGRATE_WAIT=<point>:<file>`: it waits there until the file exists, so a test can
///   look at a migration in progress without racing it;
/// - `MIGRATE_FREE_BYTES=<n>`: the free disk space the SQLite engine's check sees.
///
/// The environment is read once per process; with none of the three set (every real
/// run), `reached` is one comparison.
public enum TestHooks {
    private struct Settings: Sendable {
        var fault: String?
        var kill: String?
        var wait: String?
        var freeBytes: Int64?
        var any: Bool { fault != nil || kill != nil || wait != nil }
    }

    private static let settings: Settings = {
        let environment = ProcessInfo.processInfo.environment
        return Settings(
            fault: environment["MIGRATE_FAULT"], kill: environment["MIGRATE_KILL"], wait: environment["MIGRATE_WAIT"],
            freeBytes: environment["MIGRATE_FREE_BYTES"].flatMap(Int64.init))
    }()

    /// `MIGRATE_FREE_BYTES=<n>`: the free disk space the SQLite engine's check sees.
    public static var freeBytes: Int64? { settings.freeBytes }

    /// Runs the kill and wait hooks for `point`.
    /// - Returns: whether `MIGRATE_FAULT` names `point`.
    public static func reached(_ point: String) -> Bool {
        let settings = settings
        guard settings.any else { return false }
        if settings.kill == point {
            kill(getpid(), SIGKILL)
        }
        if let wait = settings.wait, wait.hasPrefix(point + ":") {
            let file = String(wait.dropFirst(point.count + 1))
            while !FileManager.default.fileExists(atPath: file) { usleep(10_000) }
        }
        return settings.fault == point
    }
}
