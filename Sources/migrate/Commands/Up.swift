import ArgumentParser
import MigrationKit

struct Up: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending migrations in order, each all or nothing.",
        discussion: "Example: migrate up --dry-run --verbose")

    @OptionGroup var options: GlobalOptions

    @Option(name: .long, help: "Apply migrations up to and including this number.")
    var to: MigrationNumber?

    @Flag(name: .long, help: "Check and show the plan against a schema-only copy; change nothing.")
    var dryRun = false

    @Option(name: .long, help: "Seconds to wait for the migrator lock and the database's write lock (default: 300).")
    var lockTimeout: Double?

    @Flag(name: .long, help: "Allow statements that destroy data wholesale (DROP TABLE, TRUNCATE); reserved: such statements are not refused yet.")
    var allowDangerous = false

    func validate() throws {
        if let lockTimeout, lockTimeout < 0 { throw ValidationError("--lock-timeout must be 0 or more seconds") }
    }

    func run() async throws {
        let executor = try MigrationExecutor(configuration: options.configuration(dryRun: dryRun, lockTimeout: lockTimeout))
        try await ResultPrinter(options: options, direction: .up, dryRun: dryRun).run(executor) {
            try await executor.migrateUp(to: to?.value)
        }
    }
}

/// A migration number as given on the command line: `3` or `003`.
struct MigrationNumber: ExpressibleByArgument {
    var value: Int

    init?(argument: String) {
        guard let value = Int(argument), value >= 0 else { return nil }
        self.value = value
    }
}
