import Foundation
import MigrationEngine
import SQLSyntax
import SchemaDiff
import SchemaYAML

/// Everything the executor reports to its caller, typed to the edge: the CLI maps each
/// case to its message, hint and exit code. `exitCode` follows DESIGN.md: 2 for bad input
/// or usage (nothing was touched), 1 when the operation failed.
public enum MigrationError: Error, LocalizedError, CustomStringConvertible {
    /// Bad input found before anything ran: a file name, a missing down file.
    case invalidInput(String)
    /// A migration file (or a SQL schema file) that does not parse, or that does not apply
    /// to the schema before it (`file:line:column`).
    case syntax(SQLSyntaxError)
    /// A desired-state file that is wrong (`file:line:column`).
    case schema(SchemaError)
    /// A bad database URL or configuration value.
    case invalidConfiguration(String)
    /// The migrations directory does not exist.
    case noMigrationsDirectory(String)
    /// `migrateUp(to:)` names a number no migration has.
    case unknownTarget(Int)
    /// `migrateDown(count:)` with a count below 1.
    case invalidCount(Int)
    /// Applied migrations whose up file changed since they ran.
    case modified([String])
    /// A migration failed and was rolled back; `results` holds what ran before it and the failure.
    case migrationFailed(MigrationResult, results: [MigrationResult])
    /// The engine could not do what was asked (connection, lock timeout, database error).
    case engine(EngineError)
    /// A state that blocks the request, e.g. reverting a migration whose files are gone.
    case blocked(String)
    /// `plan` found steps that lose data and was not allowed to plan them; nothing was written.
    case destructivePlan([PlannedStep])
    /// Safety checks refused the migrations before anything ran: dangerous operations
    /// not allowed, or lint warnings under `--strict`.
    case refused([LintFinding])

    /// 2 for bad input (nothing was touched), 1 when the operation failed.
    public var exitCode: Int32 {
        switch self {
        case .invalidInput, .syntax, .schema, .invalidConfiguration, .noMigrationsDirectory, .unknownTarget, .invalidCount, .refused: return 2
        case .engine(.unsupported), .engine(.unusableConnection): return 2
        case .modified, .migrationFailed, .engine, .blocked, .destructivePlan: return 1
        }
    }

    /// The error for people, naming the file and place when there is one.
    public var description: String {
        switch self {
        case .invalidInput(let message), .invalidConfiguration(let message), .blocked(let message):
            return message
        case .syntax(let error):
            return error.description
        case .schema(let error):
            return error.description
        case .noMigrationsDirectory(let directory):
            return "\(directory): no such migrations directory"
        case .unknownTarget(let version):
            return "no migration has the number \(version)"
        case .invalidCount(let count):
            return "\(count) migrations: expected a number of migrations of 1 or more"
        case .modified(let ids):
            return "applied migration\(ids.count == 1 ? "" : "s") \(ids.joined(separator: ", ")) changed since applied (checksum differs); "
                + "restore the original file, or revert it with `migrate down` before changing it"
        case .migrationFailed(let result, _):
            let error = result.error ?? "unknown error"
            if result.failure?.leftChanges == true {
                return "migration \(result.id) failed and was rolled back except as said at the end: \(error)"
            }
            return "migration \(result.id) failed and was rolled back; the database is as it was before it: \(error)"
        case .engine(let error):
            return error.description
        case .destructivePlan(let steps):
            return "the plan loses data in \(steps.count) step\(steps.count == 1 ? "" : "s"): "
                + steps.map(\.comment).joined(separator: "; ") + ". Nothing was written"
        case .refused(let findings):
            return findings.map(\.description).joined(separator: "\n") + "\nnothing was run"
        }
    }

    /// Same as `description`.
    public var errorDescription: String? { description }
}
