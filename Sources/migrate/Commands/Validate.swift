import ArgumentParser
import MigrationEngine
import MigrationKit
import SchemaDiff

struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every migration file without running anything (no database needed).",
        discussion: """
            Checks names and numbering, that every up and down file parses and suits the engine, that every
            up has a non-empty down, dangerous operations (DROP TABLE, TRUNCATE, DELETE/UPDATE without WHERE),
            and lint rules (docs/safety.md). Exit codes: 0 valid, 2 problems found (warnings count with --strict).
            Example: migrate validate --strict --format json
            """)

    @OptionGroup var options: GlobalOptions

    @Flag(name: .long, help: "Treat lint warnings as errors.")
    var strict = false

    @Flag(name: .long, help: "Do not report dangerous operations as errors.")
    var allowDangerous = false

    func validate() throws { try options.requireTextOrJSON() }

    func run() async throws {
        var configuration = try options.configuration()
        configuration.allowDangerous = allowDangerous
        configuration.strict = strict
        let report = try await MigrationExecutor(configuration: configuration).validate()
        let console = Console(format: options.format)
        let passes = report.passes(strict: strict)
        if options.format == .json {
            console.json(ValidationDocument(report, passes: passes))
        } else {
            for error in report.errors + report.dangerous.map(\.description) { Console.error(error) }
            if !report.dangerous.isEmpty { Console.error(ErrorMessage.allowDangerousHint) }
            for warning in report.warnings { strict ? Console.error(warning.description) : Console.warning(warning.description) }
            for note in report.notes { console.line("Note: " + note) }
            if passes {
                let warned = report.warnings.isEmpty ? "" : " with \(report.warnings.count) warning\(report.warnings.count == 1 ? "" : "s")"
                console.line(console.titled("✅", "\(report.migrations) migration\(report.migrations == 1 ? "" : "s") valid\(warned)"))
            } else {
                console.line(
                    console.titled(
                        "❌", "Validation failed: \(report.errors.count + report.dangerous.count + (strict ? report.warnings.count : 0)) problem(s)"))
            }
        }
        if !passes { throw CommandFailure(exitCode: 2) }
    }
}

struct ValidationDocument: Encodable {
    var valid: Bool
    var migrations: Int
    var errors: [String]
    var warnings: [LintLine]
    var notes: [String]

    init(_ report: ValidationReport, passes: Bool) {
        valid = passes
        migrations = report.migrations
        errors = report.errors + report.dangerous.map(\.description)
        warnings = report.warnings.map(LintLine.init)
        notes = report.notes
    }
}
