import ArgumentParser
import MigrationEngine
import MigrationKit
import SchemaDiff

struct Down: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Revert the last N applied migrations, newest first.",
        discussion: "Example: migrate down --count 2")

    @OptionGroup var options: GlobalOptions

    @Option(name: .long, parsing: .unconditional, help: "How many migrations to revert (default: 1).")
    var count = 1

    @OptionGroup var execution: ExecutionOptions

    func validate() throws {
        try options.requireTextOrJSON()
        if count < 1 { throw ValidationError("--count \(count): expected a number of migrations of 1 or more") }
    }

    func run() async throws {
        let executor = try MigrationExecutor(configuration: execution.configuration(options))
        try await ResultPrinter(options: options, direction: .down, dryRun: execution.dryRun).run(executor) {
            try await executor.migrateDown(count: count)
        }
    }
}
