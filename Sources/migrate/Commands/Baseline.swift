import ArgumentParser
import MigrationKit

struct Baseline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Adopt a database with no history: write its schema as the first migration and record it applied.",
        discussion: """
            Writes NNN_baseline.up.sql (the statements that build the current schema) and .down.sql, records the
            migration as applied without running it, and writes the schema as YAML into --schema when that is
            missing or empty. Then `migrate plan` finds nothing to do and `migrate check` exits 0.
            Refused when the database has migration history or --dir already holds migrations.
            Example: migrate baseline --dry-run
            """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var schemaOption: SchemaOption

    @Option(name: .long, help: "The migration's description (default: baseline).")
    var name: String?

    @Flag(name: .long, help: "Show what would be written and recorded; write nothing.")
    var dryRun = false

    func validate() throws { try options.requireTextOrJSON() }

    func run() async throws {
        var configuration = try options.configuration()
        try schemaOption.apply(to: &configuration)
        let workflow = try DeclarativeWorkflow(configuration: configuration)
        let result = try await workflow.baseline(name: name, dryRun: dryRun)
        let console = Console(format: options.format)
        if options.format == .json {
            console.json(BaselineReport(result, dryRun: dryRun))
            return
        }
        let what =
            "\(result.tables) table\(result.tables == 1 ? "" : "s")"
            + (result.objects > 0 ? " and \(result.objects) other object\(result.objects == 1 ? "" : "s")" : "")
        if dryRun {
            console.line(console.titled("🔍", "Dry run: would write \(result.upFile) and \(result.downFile) (\(what))"))
            console.line("  and record migration \(result.id) as applied without running it")
            if let schemaFile = result.schemaFile { console.line("  and write the schema to \(schemaFile)") }
            if options.verbose {
                console.line()
                console.write(result.upSQL)
            }
            return
        }
        console.line(console.titled("✅", "Baselined: migration \(result.id) (\(what)) recorded as applied without running"))
        console.line("  wrote \(result.upFile)")
        console.line("  wrote \(result.downFile)")
        if let schemaFile = result.schemaFile {
            console.line("  wrote \(schemaFile)")
        } else {
            console.line("  left the schema files in \(configuration.schemaPath) as they are")
        }
    }
}

/// `migrate baseline --format json`.
struct BaselineReport: Encodable {
    var dryRun: Bool
    var version: Int
    var id: String
    var description: String
    var up: String
    var down: String
    var schema: String?
    var tables: Int
    var objects: Int
    var recorded: Bool

    init(_ result: BaselineResult, dryRun: Bool) {
        self.dryRun = dryRun
        version = result.version
        id = result.id
        description = result.description
        up = result.upFile
        down = result.downFile
        schema = result.schemaFile
        tables = result.tables
        objects = result.objects
        recorded = result.recorded
    }
}
