// The seed's "Programmatic Usage", in Swift: apply the migrations of a directory to a
// SQLite file, print the results and the status, and follow progress events; then plan
// and check against the desired state.
//
//   swift run ProgrammaticExample [migrations-dir] [database-url] [schema-dir]
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

    // Declarative side: compare with the desired state in schema/ (if there is one).
    var declarative = configuration
    declarative.schemaPath = arguments.count > 3 ? arguments[3] : "schema"
    if FileManager.default.fileExists(atPath: declarative.schemaPath) {
        let planner = try DeclarativeWorkflow(configuration: declarative)
        let plan = try await planner.plan(write: false)
        print(plan.plan.isEmpty ? "schema is up to date" : "\(plan.plan.steps.count) step(s) to plan")
        let drift = try await planner.check()
        print(drift.inSync ? "no drift" : "drift: \(drift.drifts.map(\.summary).joined(separator: "; "))")
    }
    progress.cancel()
} catch let error as MigrationError {
    FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
    exit(error.exitCode)
}
