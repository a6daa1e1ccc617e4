import ArgumentParser
import MigrationKit

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Diff the desired state (--schema) against the database plus pending migrations; write the next migration pair.",
        discussion: """
            Writes NNN_<slug>.up.sql / .down.sql with one comment per step and its safety class
            (instant, online, blocking, destructive), CONCURRENTLY wherever a change to an existing
            table can run online, and above each statement its lock, work and estimate from the live table size.
            On PostgreSQL the file holds the statements the engine runs (NOT VALID then VALIDATE, SET NOT NULL
            through a check, keys through a concurrent unique index, SET lock_timeout).
            Prints "Schema is up to date" and writes nothing when there is nothing to do.
            Example: migrate plan --name "add status column"
            """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var schemaOption: SchemaOption

    @Option(name: .long, help: "The migration's description (default: from its first step).")
    var name: String?

    @Flag(name: .long, help: "Print the files that would be written; write nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Plan steps that lose data (drop table, drop column, narrow a type); refused otherwise.")
    var allowDestructive = false

    func validate() throws { try options.requireTextOrJSON() }

    func run() async throws {
        var configuration = try options.configuration()
        try schemaOption.apply(to: &configuration)
        let workflow = try DeclarativeWorkflow(configuration: configuration)
        let result = try await workflow.plan(name: name, allowDestructive: allowDestructive, write: !dryRun)
        PlanPrinter(console: Console(format: options.format), verbose: options.verbose, dryRun: dryRun).print(result)
    }
}
