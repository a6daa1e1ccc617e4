import ArgumentParser
import MigrationEngine
import MigrationKit
import SchemaDiff

struct Up: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending migrations in order, each all or nothing.",
        discussion: "Example: migrate up --dry-run --verbose")

    @OptionGroup var options: GlobalOptions

    func validate() throws { try options.requireTextOrJSON() }

    @Option(name: .long, help: "Apply migrations up to and including this number.")
    var to: MigrationNumber?

    @OptionGroup var execution: ExecutionOptions

    func run() async throws {
        let executor = try MigrationExecutor(configuration: execution.configuration(options))
        try await ResultPrinter(options: options, direction: .up, dryRun: execution.dryRun).run(executor) {
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
