import ArgumentParser
import MigrationKit

struct Inspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the live schema as desired-state YAML (or SQL with --format sql, or JSON).",
        discussion: """
            `migrate inspect > schema/app.yaml` then `migrate plan` finds nothing to do.
            Example: migrate inspect --format sql
            """)

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let workflow = try DeclarativeWorkflow(configuration: options.configuration())
        let console = Console(format: options.format)
        if options.format == .sql {
            console.write(try await workflow.inspectSQL())
            return
        }
        let schema = try await workflow.inspect()
        switch options.format {
        case .text, .yaml, .sql: console.write(SchemaText.yaml(schema))
        case .json: console.json(SchemaText.json(schema))
        }
    }
}
