import ArgumentParser
import Foundation
import MigrationKit

/// The `migrate` command line: parses flags, calls MigrationKit, prints.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Online schema migrations; SQLite is the embedded default.",
        discussion: """
            Declarative: keep the desired schema in --schema (default: schema) as YAML or CREATE statements;
            `migrate plan` writes the next migration from it, `migrate check` fails when files and database drift.
            Migration files live in --dir (default: migrations) as NNN_<slug>.up.sql and NNN_<slug>.down.sql.
            The database comes from --database, else $DATABASE_URL, else 'database:' in migrate.yaml, else sqlite:app.db.
            Exit codes: 0 success, 1 the operation failed (nothing half-applied is left), 2 bad input or usage (nothing was touched).
            """,
        version: "0.1.0",
        subcommands: [
            Create.self, PlanCommand.self, Up.self, Down.self, Status.self, Check.self, Inspect.self, Validate.self, Baseline.self, Version.self,
        ]
    )
}

@main
enum Main {
    static func main() async {
        OutputStream.ignoreBrokenPipes()
        do {
            var command = try Migrate.parseAsRoot(GlobalOptions.movedAfterSubcommand(Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CommandFailure {
            exit(error.exitCode)
        } catch let error as MigrationError {
            let message = ErrorMessage.text(error)
            ErrorReport.printIfJSON(message, exitCode: error.exitCode)
            Console.error(message)
            exit(error.exitCode)
        } catch {
            let code = Migrate.exitCode(for: error)
            if code == .success {
                // --help and --version
                OutputStream.standardOutput.write(Migrate.fullMessage(for: error) + "\n")
                exit(0)
            }
            if error is CleanExit || error is ExitCode {
                exit(code.rawValue)
            }
            ErrorReport.printIfJSON(Migrate.message(for: error), exitCode: 2)
            Console.error(Migrate.message(for: error) + "\n" + "Run 'migrate --help' for usage.")
            // Usage errors are bad input: exit 2, not ArgumentParser's 64.
            exit(2)
        }
    }
}

/// Thrown by a command that already printed what went wrong.
struct CommandFailure: Error {
    var exitCode: Int32
}

/// An error as one JSON document on standard output, under `--format json` (the line on
/// standard error is printed too): `{"status":"error","exitCode":2,"error":"..."}`.
struct ErrorReport: Encodable {
    var status = "error"
    var exitCode: Int32
    var error: String

    /// Prints the document when the command line asks for JSON.
    static func printIfJSON(_ message: String, exitCode: Int32) {
        guard wantsJSON(Array(CommandLine.arguments.dropFirst())) else { return }
        Console(format: .json).json(ErrorReport(exitCode: exitCode, error: message))
    }

    /// Whether `--format json` (or `--format=json`) is among the arguments.
    static func wantsJSON(_ arguments: [String]) -> Bool {
        for (index, argument) in arguments.enumerated() {
            if argument == "--format=json" { return true }
            if argument == "--format", index + 1 < arguments.count, arguments[index + 1] == "json" { return true }
        }
        return false
    }
}
