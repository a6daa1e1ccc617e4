import Foundation
import MigrationEngine
import MigrationKit
import SchemaDiff

/// Runs `up` or `down` and prints its results the seed's way, or as one JSON document.
struct ResultPrinter {
    let options: GlobalOptions
    let direction: MigrationDirection
    let dryRun: Bool

    var console: Console { Console(format: options.format) }

    func run(_ executor: MigrationExecutor, _ body: () async throws -> [MigrationResult]) async throws {
        let console = self.console
        if console.format == .text && !dryRun {
            console.line(direction == .up ? console.titled("🚀", "Running migrations...") : console.titled("⏪", "Rolling back migrations..."))
            console.line()
        }
        let renderer = ProgressRenderer(console: console, verbose: options.verbose)
        let events = Task {
            for await event in executor.events { renderer.handle(event) }
        }
        defer { events.cancel() }
        do {
            let results = try await body()
            renderer.finish()
            if console.format == .json {
                console.json(RunReport(command: direction.rawValue, dryRun: dryRun, status: "ok", results: results, error: nil))
            } else if dryRun {
                printDryRun(results)
            } else {
                printResults(results)
                if results.isEmpty {
                    console.line(
                        direction == .up
                            ? console.titled("✅", "No pending migrations; the database is up to date")
                            : console.titled("✅", "No applied migrations to roll back"))
                } else {
                    console.line(console.titled("✅", direction == .up ? "Migration complete" : "Rollback complete"))
                }
            }
        } catch let error as MigrationError {
            renderer.finish()
            if case .migrationFailed(_, let results) = error {
                if console.format == .text { printResults(results) }
            }
            if console.format == .json {
                var results: [MigrationResult] = []
                if case .migrationFailed(_, let all) = error { results = all }
                console.json(
                    RunReport(command: direction.rawValue, dryRun: dryRun, status: "failed", results: results, error: ErrorMessage.text(error)))
            } else if case .migrationFailed = error {
                console.line(console.titled("❌", direction == .up ? "Migration failed" : "Rollback failed"))
            }
            Console.error(ErrorMessage.text(error))
            throw CommandFailure(exitCode: error.exitCode)
        }
    }

    private func printResults(_ results: [MigrationResult]) {
        guard !results.isEmpty else { return }
        let console = self.console
        console.line(console.titled("📊", "Migration Results:"))
        console.line()
        for result in results {
            let mark = result.outcome == .failed ? console.icon("❌", plain: "FAILED") : console.icon("✅", plain: "OK")
            console.line("  \(mark) \(result.id) - \(result.milliseconds)ms" + (options.verbose ? "  \(result.description)" : ""))
            if options.verbose { printStatements(result.statements) }
            if let error = result.error {
                for line in error.split(separator: "\n") { console.line("     \(line)") }
            }
        }
        console.line()
    }

    private func printDryRun(_ results: [MigrationResult]) {
        let console = self.console
        console.line(console.titled("🔍", "Dry run: nothing was changed"))
        console.line()
        for result in results {
            console.line(console.titled("📋", "\(result.id) \(result.description) (\(direction.rawValue))"))
            printStatements(result.statements)
            console.line()
        }
        let noun = results.count == 1 ? "migration" : "migrations"
        if results.isEmpty {
            console.line(console.titled("✅", direction == .up ? "No pending migrations" : "No applied migrations to roll back"))
        } else {
            console.line(console.titled("✅", "Dry run complete: \(results.count) \(noun) would be \(direction == .up ? "applied" : "rolled back")"))
        }
    }

    private func printStatements(_ statements: [StatementExecution]) {
        let console = self.console
        for statement in statements {
            console.line("    [\(statement.strategy.rawValue)] line \(statement.location.line): \(firstLine(statement.source))")
            if options.verbose || dryRun {
                for sql in statement.sql { console.line("        " + sql.replacingOccurrences(of: "\n", with: "\n        ")) }
                console.line("        lock: \(statement.lock)")
                if dryRun, let cost = statement.cost { console.line("        -- \(cost)") }
            }
        }
    }

    private func firstLine(_ text: String) -> String {
        let first = text.split(separator: "\n").first.map(String.init) ?? text
        return first + (text.contains("\n") ? " ..." : "")
    }
}

/// `up`/`down --format json`.
struct RunReport: Encodable {
    struct Entry: Encodable {
        struct Statement: Encodable {
            var line: Int
            var column: Int
            var strategy: String
            var lock: String
            var sql: [String]
            /// The lock, work and estimate, as the planned file's comment says it.
            var estimate: String?
        }

        var id: String
        var version: Int
        var description: String
        var outcome: String
        var durationMs: Int
        var statements: [Statement]
        var error: String?
    }

    var command: String
    var dryRun: Bool
    var status: String
    var migrations: [Entry]
    var error: String?

    init(command: String, dryRun: Bool, status: String, results: [MigrationResult], error: String?) {
        self.command = command
        self.dryRun = dryRun
        self.status = status
        self.error = error
        migrations = results.map { result in
            Entry(
                id: result.id, version: result.version, description: result.description, outcome: result.outcome.rawValue,
                durationMs: result.milliseconds,
                statements: result.statements.map {
                    .init(
                        line: $0.location.line, column: $0.location.column, strategy: $0.strategy.rawValue, lock: $0.lock, sql: $0.sql,
                        estimate: $0.cost)
                },
                error: result.error)
        }
    }
}

enum ISO8601 {
    static func string(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
