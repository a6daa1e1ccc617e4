import Foundation
import MigrationEngine
import SQLSyntax
import SchemaDiff

/// Applies and reverts migrations: the seed's `MigrationExecutor`.
///
/// Every command first checks, without writing anything: the directory's names and
/// numbering, the history, and that each file to run parses and suits the engine. Only
/// then does it open the database for writing, take the migrator lock, and run each
/// migration all or nothing. The declarative side (`plan`, `check`, `inspect`) is
/// `DeclarativeWorkflow`.
///
/// ```swift
/// let executor = try MigrationExecutor(configuration: .init(migrationsDirectory: "migrations",
///                                                           database: .sqlite(path: "app.db")))
/// try await executor.initialize()
/// let results = try await executor.migrateUp()
/// let states = try await executor.status()
/// ```
public final class MigrationExecutor: Sendable {
    /// Where the files and the database are, and how to run.
    public let configuration: MigrationConfiguration
    /// Progress events; the stream ends when the executor is released.
    public let events: AsyncStream<MigrationEvent>
    private let continuation: AsyncStream<MigrationEvent>.Continuation
    let openEngine: @Sendable (_ readOnly: Bool) throws -> any DatabaseEngine

    /// An executor for the database `configuration` names (`EngineRegistry`).
    /// - Throws: `MigrationError` when the database cannot be opened.
    public convenience init(configuration: MigrationConfiguration) throws {
        self.init(configuration: configuration, openEngine: try EngineRegistry.opener(for: configuration))
    }

    /// An executor over an engine of your own (used by tests with a fake engine).
    public convenience init(configuration: MigrationConfiguration, engine: any DatabaseEngine) {
        self.init(configuration: configuration) { _ in engine }
    }

    init(configuration: MigrationConfiguration, openEngine: @escaping @Sendable (Bool) throws -> any DatabaseEngine) {
        self.configuration = configuration
        self.openEngine = openEngine
        (events, continuation) = AsyncStream.makeStream(of: MigrationEvent.self)
    }

    deinit { continuation.finish() }

    /// Creates the migrations directory if it is missing and the history table, checking
    /// the directory's files first.
    public func initialize() async throws {
        try? FileManager.default.createDirectory(atPath: configuration.migrationsDirectory, withIntermediateDirectories: true)
        _ = try MigrationDirectory.load(configuration.migrationsDirectory, mustExist: true)
        guard !configuration.dryRun else { return }
        let engine = try openEngine(false)
        try await Self.wrap {
            try await engine.withMigratorLock(timeout: configuration.lockTimeout) { try await engine.prepareHistory() }
        }
    }

    /// Online operations a crash interrupted; the next `migrateUp`/`migrateDown` finishes
    /// or undoes them first. Writes nothing.
    public func interruptedOperations() async throws -> [InterruptedOperation] {
        let engine = try openEngine(true)
        return try await Self.wrap { try await engine.interruptedOperations() }
    }

    /// Every migration of the directory and the history with its state. Writes nothing.
    public func status() async throws -> [MigrationState] {
        let files = try MigrationDirectory.load(configuration.migrationsDirectory, mustExist: true)
        let engine = try openEngine(true)
        let history = try await Self.wrap { try await engine.history() }
        return MigrationSelection.states(files: files, history: history)
    }

    /// The current version: the highest-numbered applied migration, nil when none is.
    /// Writes nothing.
    public func version() async throws -> MigrationVersion {
        let states = try await status()
        let applied = states.filter { [.applied, .modified, .missing].contains($0.status) }
        return MigrationVersion(
            current: applied.max { $0.version < $1.version },
            failed: states.filter { $0.status == .failed }.map(\.id),
            pending: MigrationSelection.pending(states).map(\.id))
    }

    /// Applies pending migrations in order, each all or nothing.
    /// - Parameter target: stop after this migration number (`--to`).
    /// - Returns: one result per migration run (or planned, in a dry run).
    /// - Throws: `MigrationError.migrationFailed` with the results so far when one fails.
    @discardableResult
    public func migrateUp(to target: Int? = nil) async throws -> [MigrationResult] {
        try await run(.up) { states in try MigrationSelection.toApply(states, upTo: target) }
    }

    /// Reverts the last `count` applied migrations, newest first.
    @discardableResult
    public func migrateDown(count: Int = 1) async throws -> [MigrationResult] {
        guard count > 0 else { throw MigrationError.invalidCount(count) }
        return try await run(.down) { states in try MigrationSelection.toRevert(states, count: count) }
    }

    // MARK: The loop

    private func run(_ direction: MigrationDirection, select: @escaping @Sendable ([MigrationState]) throws -> [MigrationFile]) async throws
        -> [MigrationResult]
    {
        let files = try MigrationDirectory.load(configuration.migrationsDirectory, mustExist: true)

        // 1. Check everything without writing.
        let reader = try openEngine(true)
        let history = try await Self.wrap { try await reader.history() }
        let preflight = try select(MigrationSelection.states(files: files, history: history))
        let outOfOrder = direction == .up ? MigrationSelection.outOfOrder(preflight, history: history) : []
        let scripts = try await validatedScripts(preflight, direction, engine: reader, extraWarnings: outOfOrder)
        // Nothing to run, but an operation a crash interrupted is still finished or undone.
        let interrupted = scripts.isEmpty ? try await Self.wrap { try await reader.interruptedOperations() }.filter(\.isInterrupted) : []
        guard !scripts.isEmpty || !interrupted.isEmpty else { return [] }
        if configuration.dryRun {
            if scripts.isEmpty { return [] }
            return try await dryRun(scripts, engine: reader)
        }

        // 2. Run under the lock, deciding again in case another migrator ran meanwhile.
        let engine = try openEngine(false)
        continuation.yield(.acquiringLock(timeout: configuration.lockTimeout))
        return try await Self.wrap {
            try await engine.withMigratorLock(timeout: configuration.lockTimeout) {
                for message in try await engine.recover(progress: self.reportProgress) {
                    self.continuation.yield(.recovered(message))
                }
                try await engine.prepareHistory()
                let chosen = try select(MigrationSelection.states(files: files, history: try await engine.history()))
                var results: [MigrationResult] = []
                for file in chosen {
                    guard let script = scripts.first(where: { $0.version == file.version }) else { continue }
                    results.append(try await self.apply(script, file: file, engine: engine, previous: results))
                }
                return results
            }
        }
    }

    /// The shared checks (`Preflight`) of every file to run, each linted against the
    /// schema as it will be when it runs; refuses dangerous operations not allowed, and
    /// warnings under `--strict`.
    private func validatedScripts(
        _ files: [MigrationFile], _ direction: MigrationDirection, engine: any DatabaseEngine, extraWarnings: [LintFinding] = []
    ) async throws -> [MigrationScript] {
        let preflight = Preflight(engine: engine, allowDangerous: configuration.allowDangerous)
        // One interpreter carries the schema from file to file: indexing it again for each
        // would cost the whole schema per migration.
        var interpreter = SchemaInterpreter(try await Self.wrap { try await engine.introspect() })
        var scripts: [MigrationScript] = []
        var dangerous: [LintFinding] = []
        var warnings = extraWarnings
        for file in files {
            // Lints against the schema before the file and leaves the one after it.
            let outcome = try await preflight.check(file, direction, linting: &interpreter)
            scripts.append(outcome.script)
            dangerous += outcome.dangerous
            warnings += outcome.warnings
        }
        if !dangerous.isEmpty { throw MigrationError.refused(dangerous) }
        if configuration.strict && !warnings.isEmpty { throw MigrationError.refused(warnings) }
        for warning in warnings { continuation.yield(.lint(warning)) }
        return scripts
    }

    private func dryRun(_ scripts: [MigrationScript], engine: any DatabaseEngine) async throws -> [MigrationResult] {
        let plans = try await Self.wrap { try await engine.dryRun(scripts) }
        let costs = await StatementCosts.summaries(scripts, engine: engine)
        return zip(scripts, zip(plans, costs)).map { script, planAndCosts in
            var plan = planAndCosts.0
            for i in plan.indices where i < planAndCosts.1.count { plan[i].cost = planAndCosts.1[i] }
            return MigrationResult(
                id: script.id, version: script.version, description: script.description, direction: script.direction,
                outcome: .planned, milliseconds: 0, statements: plan)
        }
    }

    private func apply(_ script: MigrationScript, file: MigrationFile, engine: any DatabaseEngine, previous: [MigrationResult]) async throws
        -> MigrationResult
    {
        continuation.yield(.migrationStarted(id: script.id, description: script.description, direction: script.direction))
        let clock = ContinuousClock()
        let start = clock.now
        func elapsed() -> Int {
            let duration = clock.now - start
            return Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        }
        var result = MigrationResult(
            id: script.id, version: script.version, description: script.description, direction: script.direction,
            outcome: script.direction == .up ? .applied : .reverted, milliseconds: 0, statements: [])
        do {
            let change: HistoryChange =
                script.direction == .up
                ? .record(
                    HistoryRecord(
                        version: file.version, description: file.description, checksum: file.checksum,
                        appliedAt: Date(), executionMilliseconds: 0, status: .applied))
                : .remove(version: file.version)
            result.statements = try await engine.apply(script, history: change, progress: reportProgress)
            result.milliseconds = elapsed()
            continuation.yield(.migrationFinished(result))
            return result
        } catch {
            result.outcome = .failed
            result.milliseconds = elapsed()
            result.failure = error as? EngineError
            result.error = result.failure?.description ?? "\(error)"
            if script.direction == .up {
                try? await engine.recordFailure(
                    HistoryRecord(
                        version: file.version, description: file.description, checksum: file.checksum, appliedAt: Date(),
                        executionMilliseconds: result.milliseconds, status: .failed, error: result.error))
            }
            continuation.yield(.migrationFailed(result))
            throw MigrationError.migrationFailed(result, results: previous + [result])
        }
    }

    private var reportProgress: ProgressHandler {
        { [continuation] progress in continuation.yield(.progress(progress)) }
    }

    /// Runs `body`, turning engine errors into `MigrationError.engine`.
    static func wrap<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as EngineError {
            throw MigrationError.engine(error)
        }
    }
}
