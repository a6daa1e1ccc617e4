import Foundation
import MigrationKit
import Testing

/// A temporary project: schema/, migrations/ and a SQLite file, driven through the
/// executor exactly as the CLI drives it.
struct Project {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("declarative-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/schema", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/migrations", withIntermediateDirectories: true)
    }

    var executor: MigrationExecutor {
        get throws {
            var configuration = MigrationConfiguration(migrationsDirectory: root + "/migrations", database: .sqlite(path: root + "/app.db"))
            configuration.schemaPath = root + "/schema"
            return try MigrationExecutor(configuration: configuration)
        }
    }

    /// Replaces the desired state with one YAML file.
    func setSchema(_ yaml: String) throws {
        for file in try FileManager.default.contentsOfDirectory(atPath: root + "/schema") {
            try FileManager.default.removeItem(atPath: root + "/schema/" + file)
        }
        try yaml.write(toFile: root + "/schema/app.yaml", atomically: true, encoding: .utf8)
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
        try await executor.plan(write: false, allowDestructiveCheck: false).plan.steps.map(\.comment)
    }
}

extension MigrationExecutor {
    /// `plan` without writing and without refusing destructive steps, for assertions.
    func plan(write: Bool, allowDestructiveCheck: Bool) async throws -> PlanResult {
        try await plan(name: nil, allowDestructive: true, write: write)
    }
}
