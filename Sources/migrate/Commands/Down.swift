import ArgumentParser
import MigrationKit

struct Down: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Revert the last N applied migrations, newest first.",
        discussion: "Example: migrate down --count 2")

    @OptionGroup var options: GlobalOptions

    @Option(name: .long, help: "How many migrations to revert.")
    var count = 1

    @Flag(name: .long, help: "Check and show the plan against a schema-only copy; change nothing.")
    var dryRun = false

    @Option(name: .long, help: "Seconds to wait for the migrator lock and the database's write lock (default: 300).")
    var lockTimeout: Double?

    @Flag(name: .long, help: "Allow statements that destroy data wholesale (DROP TABLE, TRUNCATE); reserved: such statements are not refused yet.")
    var allowDangerous = false

    func validate() throws {
        if count < 1 { throw ValidationError("--count must be 1 or more") }
        if let lockTimeout, lockTimeout < 0 { throw ValidationError("--lock-timeout must be 0 or more seconds") }
    }

    func run() async throws {
        let executor = try MigrationExecutor(configuration: options.configuration(dryRun: dryRun, lockTimeout: lockTimeout))
        try await ResultPrinter(options: options, direction: .down, dryRun: dryRun).run(executor) {
            try await executor.migrateDown(count: count)
        }
    }
}
