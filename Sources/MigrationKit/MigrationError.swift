import Foundation
import MigrationEngine
import SchemaDiff

/// Everything the executor reports to its caller. `exitCode` follows DESIGN.md:
/// 2 for bad input or usage (nothing was touched), 1 when the operation failed.
public enum MigrationError: Error, LocalizedError, CustomStringConvertible {
    /// Bad input found before anything ran: a file name, a parse error, a missing down file.
    case invalidInput(String)
    /// A bad database URL or configuration value.
    case invalidConfiguration(String)
    /// Applied migrations whose up file changed since they ran.
    case modified([String])
    /// A migration failed and was rolled back; `results` holds what ran before it and the failure.
    case migrationFailed(MigrationResult, results: [MigrationResult])
    /// The engine could not do what was asked (connection, lock timeout, database error).
    case engine(EngineError)
    /// A state that blocks the request, e.g. reverting a migration whose files are gone.
    case blocked(String)
    /// Safety checks refused the migrations before anything ran: dangerous operations
    /// not allowed, or lint warnings under `--strict`.
    case refused([LintFinding])

    public var exitCode: Int32 {
        switch self {
        case .invalidInput, .invalidConfiguration, .refused: return 2
        case .engine(.unsupported), .engine(.unusableConnection): return 2
        case .modified, .migrationFailed, .engine, .blocked: return 1
        }
    }

    public var description: String {
        switch self {
        case .invalidInput(let message), .invalidConfiguration(let message), .blocked(let message):
            return message
        case .modified(let ids):
            return "applied migration\(ids.count == 1 ? "" : "s") \(ids.joined(separator: ", ")) changed since applied (checksum differs); "
                + "restore the original file, or revert it with `migrate down` before changing it"
        case .migrationFailed(let result, _):
            let error = result.error ?? "unknown error"
            if EngineError.leftChanges(error) {
                return "migration \(result.id) failed and was rolled back except as said at the end: \(error)"
            }
            return "migration \(result.id) failed and was rolled back; the database is as it was before it: \(error)"
        case .engine(let error):
            return error.description
        case .refused(let findings):
            return findings.map(\.description).joined(separator: "\n") + "\nnothing was run"
        }
    }

    public var errorDescription: String? { description }
}
