import Foundation
import MigrationEngine

/// The points of an online rebuild where the test hooks (`TestHooks`: fail, kill, wait)
/// apply, so tests can prove that every failure or kill leaves the database as it was.
enum FaultInjection {
    enum Point: String {
        case afterShadow = "after-shadow"
        case midCopy = "mid-copy"
        case beforeCutover = "before-cutover"
        case cutover
        case cleanup
    }

    static func check(_ point: Point) throws {
        if TestHooks.reached(point.rawValue) {
            throw RebuildError("injected fault at \(point.rawValue) (MIGRATE_FAULT)")
        }
    }
}
