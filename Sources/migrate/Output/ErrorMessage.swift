import MigrationEngine
import MigrationKit
import SchemaDiff

/// What the command line says for a library error: the library's own words, with the
/// flag or file to change where there is one (the library never names flags).
enum ErrorMessage {
    static func text(_ error: MigrationError) -> String {
        switch error {
        case .noMigrationsDirectory(let directory):
            return "\(directory): no such migrations directory (create one with `migrate create`, or pass --dir)"
        case .unknownTarget(let version):
            return "--to \(version): no migration has that number"
        case .invalidCount(let count):
            return "--count \(count): expected a number of migrations of 1 or more"
        case .destructivePlan:
            return error.description + "; rerun with --allow-destructive to plan them"
        case .schema(let schemaError) where schemaError.isMissingPath:
            return error.description + " (--schema)"
        case .refused(let findings) where findings.contains(where: { $0.severity == .dangerous }):
            return error.description + "\n" + allowDangerousHint
        default:
            return error.description + (isLockWait(error) ? "\nhint: raise --lock-timeout to wait longer" : "")
        }
    }

    /// Said under dangerous operations that were refused.
    static let allowDangerousHint = "hint: --allow-dangerous allows them for this run"

    private static func isLockWait(_ error: MigrationError) -> Bool {
        switch error {
        case .engine(let engineError): engineError.isLockWait
        case .migrationFailed(let result, _): result.failure?.isLockWait ?? false
        default: false
        }
    }
}
