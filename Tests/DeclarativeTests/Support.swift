import Foundation
import MigrationEngine
import MigrationKit
import SchemaDiff
import SchemaModel
import Testing

/// A temporary project: schema/, migrations/ and a SQLite file, driven through the
/// executor exactly as the CLI drives it.
struct Project {
    let root: String
    let database: DatabaseURL

    /// - Parameter postgres: on a new database of the test server (`MIGRATE_TEST_POSTGRES_URL`) instead of a SQLite file.
    init(postgres: Bool = false) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("declarative-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/schema", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/migrations", withIntermediateDirectories: true)
        database = postgres ? try DatabaseURL(parsing: try Self.newPostgresDatabase()) : .sqlite(path: root + "/app.db")
    }

    /// Creates a database on the test server with psql; its URL.
    static func newPostgresDatabase() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["MIGRATE_TEST_POSTGRES_URL"] ?? ""
        try #require(!base.isEmpty, "MIGRATE_TEST_POSTGRES_URL is not set: run the tests with scripts/test, which starts a PostgreSQL server")
        let name = "d_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        let psql = Process()
        let configured = environment["MIGRATE_TEST_PSQL"] ?? ""
        psql.executableURL = URL(fileURLWithPath: configured.isEmpty ? "/usr/bin/psql" : configured)
        psql.arguments = ["-X", "-q", "-d", base, "-c", "CREATE DATABASE \(name)"]
        try psql.run()
        psql.waitUntilExit()
        try #require(psql.terminationStatus == 0, "psql could not create a database")
        return base.replacingOccurrences(of: "/postgres?", with: "/\(name)?")
    }

    var configuration: MigrationConfiguration {
        var configuration = MigrationConfiguration(migrationsDirectory: root + "/migrations", database: database)
        configuration.schemaPath = root + "/schema"
        return configuration
    }

    var executor: MigrationExecutor {
        get throws { try MigrationExecutor(configuration: configuration) }
    }

    var workflow: DeclarativeWorkflow {
        get throws { try DeclarativeWorkflow(configuration: configuration) }
    }

    /// Replaces the desired state with one YAML file.
    func setSchema(_ yaml: String) throws {
        for file in try FileManager.default.contentsOfDirectory(atPath: root + "/schema") {
            try FileManager.default.removeItem(atPath: root + "/schema/" + file)
        }
        try yaml.write(toFile: root + "/schema/app.yaml", atomically: true, encoding: .utf8)
    }

    /// Replaces the desired state with one SQL schema file.
    func setSchemaSQL(_ sql: String) throws {
        for file in try FileManager.default.contentsOfDirectory(atPath: root + "/schema") {
            try FileManager.default.removeItem(atPath: root + "/schema/" + file)
        }
        try sql.write(toFile: root + "/schema/app.sql", atomically: true, encoding: .utf8)
    }

    /// Deletes the migration pair a plan wrote.
    func removeMigration(_ result: PlanResult) throws {
        for file in [result.upFile, result.downFile].compactMap({ $0 }) {
            try FileManager.default.removeItem(atPath: file)
        }
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOfFile: root + "/" + relative, encoding: .utf8)
    }

    /// Steps from the live database (plus pending migrations) to the schema files.
    func pendingSteps() async throws -> [String] {
        try await workflow.plan(write: false, allowDestructiveCheck: false).plan.steps.map(\.comment)
    }
}

extension DeclarativeWorkflow {
    /// `plan` without writing and without refusing destructive steps, for assertions.
    func plan(write: Bool, allowDestructiveCheck: Bool) async throws -> PlanResult {
        try await plan(name: nil, allowDestructive: true, write: write)
    }
}
