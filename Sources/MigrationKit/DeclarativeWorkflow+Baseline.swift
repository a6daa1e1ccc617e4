import Foundation
import MigrationEngine
import SQLSyntax
import SchemaDiff
import SchemaModel

/// What `migrate baseline` did, or would do in a dry run.
public struct BaselineResult: Sendable {
    /// The migration's number and its ID as the file names write it.
    public var version: Int
    /// The migration ID: `001`.
    public var id: String
    /// The migration's description.
    public var description: String
    /// The up and down files written (in a dry run: the paths they would have).
    public var upFile: String
    /// The down file.
    public var downFile: String
    /// The up file's body: the statements that build the schema from nothing.
    public var upSQL: String
    /// The down file's body: the statements that drop it all.
    public var downSQL: String
    /// The desired-state file written into the schema folder, nil when the folder already
    /// held schema files (they are left as they are).
    public var schemaFile: String?
    /// Tables and other objects in the baseline.
    public var tables: Int
    /// Objects other than tables (views, functions, types, ...).
    public var objects: Int
    /// Whether the migration was recorded as applied (false in a dry run).
    public var recorded: Bool
}

extension DeclarativeWorkflow {
    /// Adopts a database that has no migration history: writes its current schema as the
    /// first migration pair and records that migration as applied without running it,
    /// and writes the schema as desired-state YAML into the schema folder when that is
    /// empty. Afterwards `plan` finds nothing to do and `check` is in sync.
    /// - Parameters:
    ///   - name: the migration's description (default `baseline`).
    ///   - dryRun: work out and return everything; write nothing.
    /// - Throws: `MigrationError.blocked` when the database already has history, the
    ///   migrations directory already holds migrations, or the database has no schema.
    public func baseline(name: String? = nil, dryRun: Bool = false) async throws -> BaselineResult {
        let directory = configuration.migrationsDirectory
        let files = try MigrationDirectory.load(directory, mustExist: false)
        if let first = files.first {
            throw MigrationError.blocked(
                "\(directory) already holds migration\(files.count == 1 ? "" : "s") (\(first.id) \(first.description)\(files.count > 1 ? ", ..." : "")); "
                    + "baseline writes the first migration of a project: use an empty migrations directory")
        }
        let engine = try openEngine(dryRun)
        let history = try await MigrationExecutor.wrap { try await engine.history() }
        try Self.requireNoHistory(history)
        let live = try await MigrationExecutor.wrap { try await engine.introspect() }
        guard !live.tables.isEmpty || !live.objects.isEmpty else {
            throw MigrationError.blocked(
                "the database has no schema to baseline; start with `migrate plan` (from schema files) or `migrate create`")
        }

        let description = name?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty ?? "baseline"
        let planner = Planner(comparator: SchemaComparator(dialect: engine.sqlDialect), engine: engine.capabilities)
        let plan = planner.plan(from: Schema(), to: live)
        let note = """
            -- Baseline: the schema this database had when it was adopted (`migrate baseline`).
            -- It was recorded there as applied without running; on an empty database it builds that schema.


            """
        let marker = "-- migrate:allow-dangerous (baseline; reverting it drops the whole schema)\n\n"
        let upBody = note + plan.upSQL + "\n"
        let downBody = marker + plan.downSQL + "\n"
        let planned = MigrationDirectory.nextNames(description: description, in: directory, existing: files)
        var result = BaselineResult(
            version: planned.version, id: planned.id, description: MigrationDirectory.oneLine(description),
            upFile: planned.up, downFile: planned.down, upSQL: upBody, downSQL: downBody,
            schemaFile: try Self.schemaFileToWrite(configuration.schemaPath),
            tables: live.tables.count, objects: live.objects.count, recorded: false)
        guard !dryRun else { return result }

        let written = try MigrationDirectory.create(description: description, in: directory, upBody: upBody, downBody: downBody)
        do {
            guard let file = try MigrationDirectory.load(directory).first(where: { $0.upPath == written.up }) else {
                throw MigrationError.invalidInput("\(written.up): cannot read the file just written")
            }
            let record = HistoryRecord(
                version: file.version, description: file.description, checksum: file.checksum, appliedAt: Date(),
                executionMilliseconds: 0, status: .applied)
            let script = MigrationScript(
                version: file.version, id: file.id, description: file.description, direction: .up, file: file.upPath, statements: [])
            try await MigrationExecutor.wrap {
                try await engine.withMigratorLock(timeout: configuration.lockTimeout) {
                    try await engine.prepareHistory()
                    // Another deployer may have run meanwhile.
                    try Self.requireNoHistory(try await engine.history())
                    _ = try await engine.apply(script, history: .record(record), progress: { _ in })
                }
            }
        } catch {
            try? FileManager.default.removeItem(atPath: written.up)
            try? FileManager.default.removeItem(atPath: written.down)
            throw error
        }
        result.recorded = true
        if let schemaFile = result.schemaFile {
            let text = schemaFile.hasSuffix(".sql") ? SchemaText.sql(live, engine: engine.capabilities) : SchemaText.yaml(live)
            let folder = (schemaFile as NSString).deletingLastPathComponent
            if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            guard FileManager.default.createFile(atPath: schemaFile, contents: Data(text.utf8)) else {
                throw MigrationError.invalidInput("\(schemaFile): cannot write the file (the baseline migration was recorded)")
            }
        }
        return result
    }

    private static func requireNoHistory(_ history: [HistoryRecord]) throws {
        guard let last = history.max(by: { $0.version < $1.version }) else { return }
        throw MigrationError.blocked(
            "the database already has migration history (\(history.count) record\(history.count == 1 ? "" : "s"), the last \(last.version) "
                + "\(last.description)); baseline is for a database no migration has run on")
    }

    /// Where the schema goes: `schema.yaml` in the schema folder when the folder is
    /// missing or empty; the path itself when it names a file that does not exist yet;
    /// nil when schema files are already there.
    static func schemaFileToWrite(_ path: String) throws -> String? {
        var isDirectory: ObjCBool = false
        let manager = FileManager.default
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { return nil }
            let entries = (try? manager.contentsOfDirectory(atPath: path)) ?? []
            guard entries.allSatisfy({ $0.hasPrefix(".") }) else { return nil }
            return MigrationDirectory.join(path, "schema.yaml")
        }
        let lowered = path.lowercased()
        if lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml") || lowered.hasSuffix(".sql") { return path }
        return MigrationDirectory.join(path, "schema.yaml")
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
