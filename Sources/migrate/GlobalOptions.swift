import ArgumentParser
import Foundation
import MigrationKit

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
    /// `inspect` only.
    case yaml, sql
}

/// The flags every command takes (DESIGN.md section 2).
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Migrations directory (default: migrations, or 'dir:' in migrate.yaml).")
    var dir: String?

    @Option(name: .long, help: "Database URL: sqlite:path/to.db, sqlite:///abs/path.db, sqlite::memory: or postgres://user:pass@host:port/db.")
    var database: String?

    @Flag(name: .long, help: "Show each statement, its strategy and its lock.")
    var verbose = false

    @Option(name: .long, help: "Output format: text or json (inspect: yaml, sql or json).")
    var format: OutputFormat = .text

    /// Refuses `--format yaml|sql` on commands that print results, not schemas.
    func requireTextOrJSON() throws {
        guard format == .text || format == .json else {
            throw ValidationError("--format \(format.rawValue) is for `migrate inspect`; expected text or json")
        }
    }

    /// The resolved configuration: flags, then $DATABASE_URL, then migrate.yaml, then defaults.
    func configuration(dryRun: Bool = false, lockTimeout: Double? = nil) throws -> MigrationConfiguration {
        let project = try ProjectConfig.load()
        let environment = ProcessInfo.processInfo.environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        let url = try (database ?? environment ?? project.database).map(DatabaseURL.init(parsing:)) ?? .defaultURL
        var configuration = MigrationConfiguration(
            migrationsDirectory: dir ?? project.dir ?? "migrations",
            database: url,
            dryRun: dryRun,
            lockTimeout: lockTimeout ?? project.lockTimeout ?? 300)
        configuration.schemaPath = project.schema ?? "schema"
        configuration.schemaPathIsExplicit = project.schema != nil
        let env = ProcessInfo.processInfo.environment
        if let rows = env["MIGRATE_ONLINE_MIN_ROWS"].flatMap(Int.init) ?? project.onlineMinimumRows { configuration.onlineMinimumRows = rows }
        if let ms = env["MIGRATE_BATCH_MS"].flatMap(Double.init) ?? project.batchMilliseconds, ms > 0 { configuration.batchMilliseconds = ms }
        if let factor = env["MIGRATE_PAUSE_FACTOR"].flatMap(Double.init), factor >= 0 { configuration.pauseFactor = factor }
        if let ms = env["MIGRATE_PG_LOCK_ATTEMPT_MS"].flatMap(Double.init), ms > 0 { configuration.lockAttemptMilliseconds = ms }
        return configuration
    }
}

extension GlobalOptions {
    /// Lets the shared flags come before the subcommand too (`migrate --database x status`)
    /// by moving them after it, where ArgumentParser reads them.
    static func movedAfterSubcommand(_ arguments: [String]) -> [String] {
        let valued: Set<String> = ["--dir", "--database", "--format"]
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            if argument == "--verbose" {
                leading.append(argument)
                index += 1
            } else if valued.contains(name) {
                leading.append(argument)
                if !argument.contains("="), index + 1 < arguments.count {
                    leading.append(arguments[index + 1])
                    index += 1
                }
                index += 1
            } else {
                break
            }
        }
        guard !leading.isEmpty, index < arguments.count else { return arguments }
        return [arguments[index]] + leading + arguments[(index + 1)...]
    }
}
