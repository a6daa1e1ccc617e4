import Foundation
import MigrationEngine
import SQLSyntax
import SchemaDiff
import SchemaModel
import SchemaYAML

/// The declarative side (DESIGN.md section 1): `plan`, `check` and `inspect`, which
/// compare the desired-state files, the migration files and the live database. Applying
/// migrations is `MigrationExecutor`'s.
///
/// ```swift
/// let workflow = try DeclarativeWorkflow(configuration: .init(database: .sqlite(path: "app.db")))
/// let result = try await workflow.plan(name: "add users")   // writes the next migration pair
/// let drift = try await workflow.check()                    // drift.inSync in CI
/// ```
public struct DeclarativeWorkflow: Sendable {
    /// Where the files and the database are.
    public let configuration: MigrationConfiguration
    let openEngine: @Sendable (_ readOnly: Bool) throws -> any DatabaseEngine

    /// A workflow for the database `configuration` names (`EngineRegistry`).
    /// - Throws: `MigrationError` when the database cannot be opened.
    public init(configuration: MigrationConfiguration) throws {
        self.configuration = configuration
        self.openEngine = try EngineRegistry.opener(for: configuration)
    }

    /// A workflow over an engine of your own (tests use a fake one).
    public init(configuration: MigrationConfiguration, engine: any DatabaseEngine) {
        self.configuration = configuration
        self.openEngine = { _ in engine }
    }

    /// The live schema. Reads only; a missing SQLite file reads as empty.
    public func inspect() async throws -> Schema {
        let engine = try openEngine(true)
        return try await MigrationExecutor.wrap { try await engine.introspect() }
    }

    /// The live schema as SQL statements that build it from nothing, in the order the
    /// planner would run them (`inspect --format sql`).
    public func inspectSQL() async throws -> String {
        let engine = try openEngine(true)
        let schema = try await MigrationExecutor.wrap { try await engine.introspect() }
        return SchemaText.sql(schema, engine: engine.capabilities)
    }

    /// Plans the changes from the live schema plus pending migrations to the desired
    /// state, and writes them as the next migration pair unless `write` is false.
    /// - Parameters:
    ///   - name: the migration's description; derived from the first step when nil.
    ///   - allowDestructive: plan steps that lose data (dropped tables and columns,
    ///     narrowed types); without it they are refused.
    ///   - write: false for a dry run.
    /// - Throws: `MigrationError.invalidInput` for bad schema files (`file:line:column`);
    ///   `.blocked` for destructive steps not allowed.
    public func plan(name: String? = nil, allowDestructive: Bool = false, write: Bool = true) async throws -> PlanResult {
        // Reading the files and the catalog are independent: do them at once.
        let schemaPath = configuration.schemaPath
        let loading = Task.detached { try Self.loadDesiredState(schemaPath) }
        let files = try MigrationDirectory.load(configuration.migrationsDirectory, mustExist: false)
        let engine = try openEngine(true)
        let live = try await MigrationExecutor.wrap { try await engine.introspect() }
        let history = try await MigrationExecutor.wrap { try await engine.history() }
        let pending = MigrationSelection.pending(MigrationSelection.states(files: files, history: history)).compactMap(\.file)
        let current = pending.isEmpty ? live : try Self.replay(pending.map { try $0.script(.up) }, onto: live)
        let planner = Planner(comparator: SchemaComparator(dialect: engine.sqlDialect), engine: engine.capabilities)
        let stored = try await Self.storedPlan(
            planner, from: (current, pending.isEmpty ? nil : "the database plus pending migrations"),
            to: (try await loading.value, "the schema files"), on: engine)
        let plan = await StatementCosts.annotated(stored, engine: engine)
        var result = PlanResult(plan: plan, pending: pending.map(\.id))
        guard !plan.isEmpty else { return result }
        let destructive = plan.destructiveSteps
        if !destructive.isEmpty && !allowDestructive {
            throw MigrationError.destructivePlan(destructive)
        }
        result.description = name ?? Self.describe(plan)
        // What `up` will warn about, said now, while the files can still change.
        let upText = plan.steps.flatMap(\.up).map { $0 + ";" }.joined(separator: "\n")
        if let statements = try? Parser.parse(upText) {
            let linter = MigrationLinter(engine: engine.capabilities)
            result.warnings = linter.findings(statements, file: "plan", before: current).map { "[\($0.rule)] \($0.message); \($0.fix)" }
        }
        guard write else { return result }
        try? FileManager.default.createDirectory(atPath: configuration.migrationsDirectory, withIntermediateDirectories: true)
        let marker = "-- migrate:allow-dangerous (planned; this file drops data on purpose)\n\n"
        let downDangerous = plan.steps.contains { $0.change.inverse.isDataLoss }
        let written = try MigrationDirectory.create(
            description: result.description, in: configuration.migrationsDirectory,
            upBody: (destructive.isEmpty ? "" : marker) + plan.upSQL + "\n",
            downBody: (downDangerous ? marker : "") + plan.downSQL + "\n")
        result.upFile = written.up
        result.downFile = written.down
        return result
    }

    /// Compares the schema files, the migration files and the live database.
    /// - Returns: the differences found; `inSync` when there are none.
    public func check() async throws -> DriftReport {
        let files = try MigrationDirectory.load(configuration.migrationsDirectory, mustExist: false)
        let engine = try openEngine(true)
        let comparator = SchemaComparator(dialect: engine.sqlDialect)
        let planner = Planner(comparator: comparator, engine: engine.capabilities)
        var report = DriftReport()

        let history = try await MigrationExecutor.wrap { try await engine.history() }
        let states = MigrationSelection.states(files: files, history: history)
        let live = try await MigrationExecutor.wrap { try await engine.introspect() }
        let pending = MigrationSelection.pending(states)
        let ups = try files.map { try $0.script(.up) }  // syntax errors are bad input (exit 2)
        let appliedVersions = Set(states.filter { $0.status == .applied || $0.status == .modified }.map(\.version))
        let pendingVersions = Set(pending.map(\.version))

        // Migrations normally build the schema from nothing; some start from a schema made
        // before them (a baseline), and then only the database can stand in for it.
        var baseline: String?
        var everything = Schema()
        var expected = Schema()
        do {
            everything = try Self.replay(ups, onto: Schema())
            expected = try Self.replay(ups.filter { appliedVersions.contains($0.version) }, onto: Schema())
        } catch {
            baseline = "\(error)"
            everything = try Self.replay(ups.filter { pendingVersions.contains($0.version) }, onto: live)
        }
        if let baseline {
            report.notes.append(
                "the migrations do not build the schema from an empty database (\(baseline)); "
                    + "the schema files were compared with the database plus pending migrations, and changes made by hand cannot be told apart")
        }

        if configuration.schemaPathIsExplicit || FileManager.default.fileExists(atPath: configuration.schemaPath) {
            let desired = try Self.loadDesiredState(configuration.schemaPath)
            let plan = try await Self.storedPlan(planner, from: (everything, "the migrations"), to: (desired, "the schema files"), on: engine)
            if !plan.isEmpty {
                report.drifts.append(
                    Drift(
                        between: .schemaAndMigrations,
                        summary: "the schema files differ from what the migrations build; run `migrate plan`",
                        steps: plan.steps))
            }
        } else {
            report.notes.append("no schema files at \(configuration.schemaPath); schema files were not compared")
        }

        if baseline == nil {
            let plan = try await Self.storedPlan(planner, from: (live, nil), to: (expected, "the applied migrations"), on: engine)
            if !plan.isEmpty {
                report.drifts.append(
                    Drift(
                        between: .migrationsAndDatabase,
                        summary: "the database differs from what its applied migrations build (changed by hand?)",
                        steps: plan.steps))
            }
        }
        if !pending.isEmpty {
            report.drifts.append(
                Drift(
                    between: .migrationsAndDatabase,
                    summary: "migration\(pending.count == 1 ? "" : "s") not applied to the database: "
                        + pending.map(\.id).joined(separator: ", ") + "; run `migrate up`",
                    steps: []))
        }
        let changed = states.filter { $0.status == .modified || $0.status == .missing }
        if !changed.isEmpty {
            report.drifts.append(
                Drift(
                    between: .appliedFiles,
                    summary: changed.map {
                        "\($0.id) \($0.status == .modified ? "changed since applied (checksum differs)" : "applied but its file is gone")"
                    }
                    .joined(separator: "; "),
                    steps: []))
        }
        return report
    }

    // MARK: Helpers

    static func loadDesiredState(_ path: String) throws -> Schema {
        do {
            return try DesiredStateLoader.load(path).0
        } catch let error as SchemaError {
            throw MigrationError.schema(error)
        }
    }

    /// The plan from `current` to `desired`, both as the engine stores them: the models are
    /// compared first, and only the tables and objects that differ (with what they need to
    /// load, `SchemaSubset`) of each side that is not already the live catalog (a `what`
    /// is given) are loaded into a scratch database (`normalized`) and compared again; a
    /// schema in sync costs no scratch database.
    static func storedPlan(
        _ planner: Planner, from current: (schema: Schema, what: String?), to desired: (schema: Schema, what: String),
        on engine: any DatabaseEngine
    ) async throws -> Plan {
        let quick = planner.plan(from: current.schema, to: desired.schema)
        if quick.isEmpty { return quick }
        // Only what differs goes through the scratch database; the rest compared equal.
        let subset = SchemaSubset(quick)
        let stored = subset.merge(try await normalized(subset.cut(desired.schema), on: engine, what: desired.what), into: desired.schema)
        var from = current.schema
        if let what = current.what {
            from = subset.merge(try await normalized(subset.cut(current.schema), on: engine, what: what), into: current.schema)
        }
        return planner.plan(from: from, to: stored)
    }

    /// `schema` as the engine stores it: built from nothing in a scratch database of the
    /// engine (`SchemaNormalizer`) and read back, so that it compares with the live
    /// catalog definition for definition. `renamed_from` hints are kept. An engine without
    /// a scratch database (a test double) compares the model as written.
    /// - Throws: `MigrationError.invalidInput` when the engine refuses a statement, or
    ///   when `schema` holds an object kind the engine does not have.
    static func normalized(_ schema: Schema, on engine: any DatabaseEngine, what: String) async throws -> Schema {
        let kinds = engine.capabilities.objectKinds
        var schema = schema
        // Comments are documentation where the engine keeps none (SQLite).
        if !kinds.contains(.comment) { schema.objects.removeAll { $0.kind == .comment } }
        if let foreign = schema.objects.first(where: { !kinds.contains($0.kind) }) {
            throw MigrationError.invalidInput(
                "\(what): \(foreign.displayName): \(engine.capabilities.displayName) has no \(foreign.kind.rawValue)s; "
                    + "expected tables" + kinds.map { ", \($0.rawValue)s" }.sorted().joined())
        }
        guard let normalizer = engine as? any SchemaNormalizer, !(schema.tables.isEmpty && schema.objects.isEmpty) else { return schema }
        let planner = Planner(comparator: SchemaComparator(dialect: engine.sqlDialect), engine: engine.capabilities)
        let text = planner.plan(from: Schema(), to: schema).steps.flatMap(\.up).map { $0 + ";" }.joined(separator: "\n")
        let script: MigrationScript
        do {
            script = MigrationScript(
                version: 0, id: "000", description: what, direction: .up, file: what, statements: try Parser.parse(text, file: what))
        } catch {
            throw MigrationError.invalidInput("\(what) do not render as SQL: \(error)")
        }
        var stored: Schema
        do {
            stored = try await normalizer.normalize(script)
        } catch let error as EngineError {
            if case .statementFailed(_, let statement, let message, _) = error {
                throw MigrationError.invalidInput(
                    "\(what) do not load into \(engine.capabilities.displayName): \(message)\n  in: \(statement.prefix(300))")
            }
            throw MigrationError.engine(error)
        }
        // What only the desired state knows: the renames it asks for.
        for (t, table) in stored.tables.enumerated() {
            guard let written = schema.table(table.name) else { continue }
            stored.tables[t].renamedFrom = written.renamedFrom
            for (c, column) in table.columns.enumerated() {
                stored.tables[t].columns[c].renamedFrom = written.column(column.name)?.renamedFrom
            }
        }
        return stored
    }

    /// `schema` with the migrations' up scripts applied in order.
    static func replay(_ scripts: [MigrationScript], onto schema: Schema) throws -> Schema {
        var interpreter = SchemaInterpreter(schema)
        for script in scripts {
            do {
                try interpreter.apply(script.statements, file: script.file)
            } catch {
                throw MigrationError.syntax(error)
            }
        }
        return interpreter.schema
    }

    /// A description for a plan without `--name`: its first step, and how many more.
    static func describe(_ plan: Plan) -> String {
        guard let first = plan.steps.first?.comment.lowercased() else { return "schema changes" }
        let words = first.replacingOccurrences(of: ".", with: " ")
        return plan.steps.count == 1 ? words : "\(words) and \(plan.steps.count - 1) more"
    }
}

/// What `plan` found and wrote.
public struct PlanResult: Sendable {
    /// The steps found, in order.
    public var plan: Plan
    /// Pending migrations the plan builds on.
    public var pending: [String]
    /// The migration's description (`--name`, or derived from the first step).
    public var description = ""
    /// The files written; nil when the schema was up to date or in a dry run.
    public var upFile: String?
    /// The down file written; nil when nothing was written.
    public var downFile: String?
    /// Lint warnings `up` will print for the planned statements.
    public var warnings: [String] = []
}

/// What `check` found.
public struct DriftReport: Sendable {
    /// The disagreements found.
    public var drifts: [Drift] = []
    /// Things that were not compared, and why.
    public var notes: [String] = []
    /// Whether the three sources of truth agree.
    public var inSync: Bool { drifts.isEmpty }
}

/// One disagreement between two of the three sources of truth.
public struct Drift: Sendable {
    /// Which two sources disagree.
    public enum Between: String, Sendable {
        case schemaAndMigrations = "schema files vs migrations"
        case migrationsAndDatabase = "migrations vs database"
        case appliedFiles = "applied files"
    }

    /// Which two sources disagree.
    public var between: Between
    /// One line saying what differs and what to run.
    public var summary: String
    /// The steps that would turn the first into the second.
    public var steps: [PlannedStep]
}

extension SchemaChange {
    var isDataLoss: Bool {
        switch self {
        case .dropTable, .dropColumn: true
        case .dropObject(let object): object.kind == .partition
        default: false
        }
    }
}
