import ArgumentParser
import Foundation
import MigrationKit

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// The flags every command takes (DESIGN.md section 2).
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Migrations directory (default: migrations, or 'dir:' in migrate.yaml).")
    var dir: String?

    @Option(name: .long, help: "Database URL: sqlite:path/to.db, sqlite:///abs/path.db, sqlite::memory: or postgres://user:pass@host:port/db.")
    var database: String?

    @Flag(name: .long, help: "Show each statement, its strategy and its lock.")
    var verbose = false

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    /// The resolved configuration: flags, then $DATABASE_URL, then migrate.yaml, then defaults.
    func configuration(dryRun: Bool = false, lockTimeout: Double? = nil) throws -> MigrationConfiguration {
        let project = try ProjectConfig.load()
        let environment = ProcessInfo.processInfo.environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        let url = try (database ?? environment ?? project.database).map(DatabaseURL.init(parsing:)) ?? .defaultURL
        return MigrationConfiguration(
            migrationsDirectory: dir ?? project.dir ?? "migrations",
            database: url,
            dryRun: dryRun,
            lockTimeout: lockTimeout ?? project.lockTimeout ?? 300)
    }
}
