import Foundation

/// Test hook: `MIGRATE_FAULT=<point>` makes an online rebuild fail at that point, so tests
/// can prove that every failure leaves the database as it was; `MIGRATE_KILL=<point>` kills
/// the process there instead, for recovery tests; `MIGRATE_WAIT=<point>:<file>` holds it
/// there until the file exists. Unset, they do nothing.
enum FaultInjection {
    enum Point: String {
        case afterShadow = "after-shadow"
        case midCopy = "mid-copy"
        case beforeCutover = "before-cutover"
        case cutover
        case cleanup
    }

    static func check(_ point: Point) throws {
        let environment = ProcessInfo.processInfo.environment
        if environment["MIGRATE_FAULT"] == point.rawValue {
            throw RebuildError("injected fault at \(point.rawValue) (MIGRATE_FAULT)")
        }
        // `MIGRATE_KILL=<point>`: the process dies there at once, as under `kill -9`.
        if environment["MIGRATE_KILL"] == point.rawValue {
            kill(getpid(), SIGKILL)
        }
        // `MIGRATE_WAIT=<point>:<file>`: waits there until the file exists, so a test can
        // look at a migration in progress without racing it.
        if let wait = environment["MIGRATE_WAIT"], wait.hasPrefix(point.rawValue + ":") {
            let file = String(wait.dropFirst(point.rawValue.count + 1))
            while !FileManager.default.fileExists(atPath: file) { usleep(10_000) }
        }
    }
}
