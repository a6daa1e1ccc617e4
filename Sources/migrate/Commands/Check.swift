import ArgumentParser
import MigrationKit

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Detect drift between the schema files, the migration files and the database.",
        discussion: """
            Compares: schema files vs what all migrations build; the database vs what its applied
            migrations build (and pending migrations); applied files changed since they ran.
            Exit codes: 0 in sync, 1 drift found (with the differences), 2 error.
            Example (CI): migrate up && migrate check
            """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var schemaOption: SchemaOption

    func validate() throws { try options.requireTextOrJSON() }

    func run() async throws {
        var configuration = try options.configuration()
        try schemaOption.apply(to: &configuration)
        let workflow = try DeclarativeWorkflow(configuration: configuration)
        let report = try await workflow.check()
        DriftPrinter(console: Console(format: options.format), verbose: options.verbose).print(report)
        if !report.inSync { throw CommandFailure(exitCode: 1) }
    }
}
