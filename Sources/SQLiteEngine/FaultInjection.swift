import Foundation

/// Test hook: `MIGRATE_FAULT=<point>` makes an online rebuild fail at that point, so tests
/// can prove that every failure leaves the database as it was. Unset, it does nothing.
enum FaultInjection {
    enum Point: String {
        case afterShadow = "after-shadow"
        case midCopy = "mid-copy"
        case beforeCutover = "before-cutover"
        case cutover
        case cleanup
    }

    static func check(_ point: Point) throws {
        if ProcessInfo.processInfo.environment["MIGRATE_FAULT"] == point.rawValue {
            throw RebuildError("injected fault at \(point.rawValue) (MIGRATE_FAULT)")
        }
    }
}
