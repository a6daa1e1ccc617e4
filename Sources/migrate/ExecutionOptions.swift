import ArgumentParser
import MigrationKit

/// The flags `up` and `down` share.
struct ExecutionOptions: ParsableArguments {
    @Flag(name: .long, help: "Check and show the plan against a schema-only copy; change nothing.")
    var dryRun = false

    @Option(name: .long, parsing: .unconditional, help: "Seconds to wait for the migrator lock and the database's write lock (default: 300).")
    var lockTimeout: Double?

    @Flag(
        name: .long,
        help:
            "Run statements that destroy data wholesale (DROP TABLE, TRUNCATE, DELETE/UPDATE without WHERE); else refused unless the file has the line '-- migrate:allow-dangerous'."
    )
    var allowDangerous = false

    @Flag(name: .long, help: "Treat lint warnings as errors: refuse to run (exit 2).")
    var strict = false

    /// The shared configuration with these flags applied.
    func configuration(_ options: GlobalOptions) throws -> MigrationConfiguration {
        var configuration = try options.configuration(dryRun: dryRun, lockTimeout: lockTimeout)
        configuration.allowDangerous = allowDangerous
        configuration.strict = strict
        return configuration
    }

    func validate() throws {
        if let lockTimeout, lockTimeout < 0 || !lockTimeout.isFinite {
            throw ValidationError("--lock-timeout \(lockTimeout): expected 0 or more seconds")
        }
    }
}
