// The seed's "Programmatic Usage", in Swift: apply the migrations of a directory to a
// SQLite file, print the results and the status, and follow progress events.
//
//   swift run ProgrammaticExample [migrations-dir] [database-url]
import Foundation
import MigrationKit

let arguments = CommandLine.arguments
let directory = arguments.count > 1 ? arguments[1] : "migrations"
let url = arguments.count > 2 ? arguments[2] : "sqlite:example.db"

do {
    let configuration = MigrationConfiguration(
        migrationsDirectory: directory,
        database: try DatabaseURL(parsing: url),
        dryRun: false,
        lockTimeout: 300,
        autoRollback: true,
        maxConcurrentOperations: 4)

    let executor = try MigrationExecutor(configuration: configuration)
    let progress = Task {
        for await event in executor.events {
            if case .migrationStarted(let id, let description, _) = event {
                print("applying \(id) \(description)")
            }
        }
    }
    try await executor.initialize()

    // Apply migrations
    let results = try await executor.migrateUp()
    for result in results {
        print("\(result.id) \(result.outcome.rawValue) in \(result.milliseconds)ms")
    }

    // Check status
    for state in try await executor.status() {
        print("\(state.id) \(state.status.rawValue) \(state.description)")
    }
    progress.cancel()
} catch let error as MigrationError {
    FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
    exit(error.exitCode)
}
