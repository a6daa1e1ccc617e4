import Foundation
import MigrationEngine
import SQLSyntax
import SchemaDiff
import SchemaModel

/// PostgreSQL through PostgresNIO, one connection per engine.
///
/// A migration runs statement by statement, each with the strategy `PostgresStrategyChooser`
/// picks against the catalog of the moment: consecutive transactional steps share one
/// transaction, `CONCURRENTLY` builds and validations run on their own, every lock wait is
/// bounded by `lock_timeout` and retried (`PostgresRunner`). The history row is written in
/// the last transaction. What undoes each committed step is journaled with it, so a failure
/// (or the next run after a crash) undoes the steps already committed, newest first.
/// `pg_advisory_lock` keeps two migrators apart.
public final class PostgresEngine: DatabaseEngine {
    /// Where the database is.
    public let url: PostgresURL
    let session: PostgresSession
    let dialect = PostgresDialect()
    /// How this engine spells types and expressions (`SchemaInspector`).
    public var sqlDialect: any SQLDialect { dialect }
    /// What this engine is and does (`SchemaInspector`).
    public var capabilities: any EngineCapabilities { PostgresCapabilities() }
    /// Seconds to wait for the migrator lock and, in all, for each table lock.
    let lockTimeout: Double
    /// How online work is paced.
    public let tuning: PostgresTuning
    var attemptTimeout: Double { tuning.attemptTimeout }
    var onlineMinimumRows: Int { tuning.onlineMinimumRows }
    var pauseFactor: Double { tuning.pauseFactor }
    var maxConcurrentOperations: Int { tuning.maxConcurrentOperations }
    /// The empty database `--dev-url` names, where the desired state is loaded to be
    /// compared as PostgreSQL stores it; nil for a temporary one.
    public let scratchURL: PostgresURL?

    /// - Parameters:
    ///   - url: where the database is; nothing connects until the first call.
    ///   - lockTimeout: seconds to wait for the migrator lock and for each lock a statement takes.
    ///   - tuning: how online work is paced.
    ///   - scratchURL: an empty database for `normalize` (`--dev-url`); nil for a temporary one.
    public init(url: PostgresURL, lockTimeout: Double = 300, tuning: PostgresTuning = PostgresTuning(), scratchURL: PostgresURL? = nil) {
        self.url = url
        self.scratchURL = scratchURL
        self.session = PostgresSession(url: url)
        self.lockTimeout = lockTimeout
        self.tuning = tuning
    }

    // MARK: Lock and history

    /// The advisory lock's two keys: 'migr' and a hash of the schema, so that two schemas
    /// of one database migrate independently.
    private var lockKeys: String { "1835623282, hashtext(\(PostgresSQL.literal(url.schema)))" }

    /// Runs `body` holding the migrator lock (`MigratorLock`).
    public func withMigratorLock<T: Sendable>(timeout: Double, _ body: @Sendable () async throws -> T) async throws -> T {
        let deadline = Date().addingTimeInterval(timeout)
        while try await database({ try await self.session.value("SELECT pg_try_advisory_lock(\(self.lockKeys))::text") }) != "true" {
            guard Date() < deadline else {
                throw EngineError.lockTimeout(seconds: timeout, holder: try await lockHolder())
            }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        do {
            let result = try await body()
            try? await session.execute("SELECT pg_advisory_unlock(\(lockKeys))")
            return result
        } catch {
            try? await session.execute("SELECT pg_advisory_unlock(\(lockKeys))")
            throw error
        }
    }

    /// The session holding the migrator lock, other than this one, if any.
    private func runningHolder() async throws -> String? {
        let held = try await database {
            try await self.session.value(
                """
                SELECT count(*)::text FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 1835623282
                  AND objid::bigint = (hashtext(\(PostgresSQL.literal(self.url.schema)))::bigint + 4294967296) % 4294967296
                  AND pid <> pg_backend_pid()
                """)
        }
        return held == "0" || held == nil ? nil : try await lockHolder()
    }

    private func lockHolder() async throws -> String {
        let row = try? await session.rows(
            """
            SELECT a.pid::text, coalesce(nullif(a.application_name, ''), '?'), coalesce(a.client_addr::text, 'local'),
                   to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS')
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 1835623282
              AND l.objid::bigint = (hashtext(\(PostgresSQL.literal(url.schema)))::bigint + 4294967296) % 4294967296
            LIMIT 1
            """
        ).first
        guard let row else { return "holder unknown" }
        return "server process \(row[0] ?? "?") of \(row[1] ?? "?") from \(row[2] ?? "?") since \(row[3] ?? "?")"
    }

    /// Creates the history table if it is missing (`HistoryStore`).
    public func prepareHistory() async throws {
        try await database {
            try await self.session.execute(PostgresHistory.create)
            try await self.session.execute(PostgresJournal.create)
        }
    }

    /// The history rows, oldest first (`HistoryStore`).
    public func history() async throws -> [HistoryRecord] {
        try await database { try await PostgresHistory.all(self.session) }
    }

    /// The live schema (`SchemaInspector`).
    public func introspect() async throws -> Schema {
        try await database { try await PostgresInspector.schema(self.session) }
    }

    /// Rows (the planner's estimate; counted up to 10 million for a table never analyzed)
    /// and bytes with indexes of the tables of the session's schema named in `tables`
    /// (`SchemaInspector`).
    public func tableSizes(_ tables: Set<String>) async throws -> [String: TableSize] {
        guard !tables.isEmpty else { return [:] }
        let names = tables.sorted().map(PostgresSQL.literal).joined(separator: ", ")
        let sql = """
            SELECT c.relname::text, \(PostgresCatalog.rowEstimate("c")), pg_total_relation_size(c.oid)::text
            FROM pg_class c
            WHERE c.relkind IN ('r', 'p', 'm') AND c.relnamespace = current_schema()::regnamespace
              AND (c.relname IN (\(names)) OR lower(c.relname) IN (\(names)))
            """
        return try await database {
            var sizes: [String: TableSize] = [:]
            let catalog = PostgresCatalog(session: self.session)
            for row in try await self.session.rows(sql) {
                guard let name = row[0] else { continue }
                var rows = Int(row[1] ?? "")
                if rows == nil { rows = try await catalog.countedRows(QualifiedName(name: name)) }
                sizes[name] = TableSize(rows: rows ?? 0, bytes: Int64(row[2] ?? "") ?? 0)
            }
            return sizes
        }
    }

    /// Records a failed attempt (`HistoryStore`).
    public func recordFailure(_ record: HistoryRecord) async throws {
        try await database { try await self.session.execute(PostgresHistory.query(.record(record))) }
    }

    // MARK: Interrupted migrations

    /// Online operations a crash interrupted (`ScriptRunner`).
    public func interruptedOperations() async throws -> [InterruptedOperation] {
        let entries = try await database { try await PostgresJournal.entries(self.session) }
        let versions = Dictionary(grouping: entries, by: \.version)
        let holder = versions.isEmpty ? nil : try await runningHolder()
        return versions.keys.sorted().map { version in
            InterruptedOperation(version: version, table: "", phase: "partly applied", rowsDone: versions[version]?.count ?? 0, holder: holder)
        }
    }

    /// Finishes or undoes interrupted operations (`ScriptRunner`).
    public func recover(progress: @escaping ProgressHandler) async throws -> [String] {
        var messages: [String] = []
        for operation in try await interruptedOperations() {
            let lost = try await database { try await PostgresJournal.undo(self.session, version: operation.version) }
            var message = "migration \(operation.version) was interrupted: undid the \(operation.rowsDone) step(s) it had committed"
            if !lost.isEmpty { message += "; could not undo: " + lost.joined(separator: "; ") }
            messages.append(message)
        }
        return messages
    }

    // MARK: Running migrations

    /// Checks every statement can run here, touching nothing (`ScriptRunner`).
    public func validate(_ script: MigrationScript) async throws {
        for parsed in script.statements {
            if case .createIndex(let index) = parsed.statement, index.concurrently, index.name == nil {
                throw EngineError.unsupported(
                    location: parsed.location.in(file: script.file),
                    message: "CREATE INDEX CONCURRENTLY needs an index name, so that a failed build can be cleaned up")
            }
        }
        // Index builds and rewrites that do not fit on the server's disk, where it can be seen.
        let tables = Set(script.statements.flatMap(\.statement.tablesNamed))
        if let sizes = try? await tableSizes(tables) {
            try await PostgresDiskSpace.check(script, sizes: sizes, session: session, url: url)
        }
        // Type changes that would fire the application's triggers are refused before
        // anything runs, against the catalog as it is now (the chooser refuses them again
        // at run time, against the catalog of the moment).
        let catalog = PostgresCatalog(session: session)
        let statements = try Self.folded(script)
        let commitsAfter = PostgresStrategyChooser.commitsAfter(statements)
        for (index, parsed) in statements.enumerated() {
            guard case .alterTable(let alter) = parsed.statement,
                alter.actions.contains(where: { if case .alterColumnType = $0 { true } else { false } })
            else { continue }
            do {
                let facts = try await catalog.facts(for: parsed.statement, minimumRows: onlineMinimumRows)
                _ = try chooser(facts).choose(
                    parsed.statement, commitsLater: commitsAfter[index],
                    laterNames: Self.names(in: statements[(index + 1)...]))
            } catch let refusal as ExpandContract.Refusal {
                throw EngineError.unsupported(location: parsed.location.in(file: script.file), message: refusal.message)
            } catch EngineError.connection {
                // No server (`validate` without a database): the run checks this again.
                break
            } catch {
                // Anything else (no such table yet) is for the run to find.
            }
        }
    }

    /// Applies one migration, all or nothing (`ScriptRunner`).
    public func apply(_ script: MigrationScript, history change: HistoryChange, progress: @escaping ProgressHandler) async throws
        -> [StatementExecution]
    {
        let started = Date()
        let runner = PostgresRunner(session: session, version: script.version, lockTimeout: lockTimeout, attemptTimeout: attemptTimeout)
        runner.pauseFactor = pauseFactor
        let catalog = PostgresCatalog(session: session)
        var plans: [StatementExecution] = []
        var current: ParsedStatement?
        var backendPID: String?
        do {
            let statements = try Self.folded(script)
            let commitsAfter = PostgresStrategyChooser.commitsAfter(statements)
            let proven = FileForms.provenNotNull(statements.map(\.statement))
            var index = 0
            while index < statements.count {
                let parsed = statements[index]
                current = parsed
                let together = ParallelIndexBuilds.run(in: statements, from: index, limit: maxConcurrentOperations)
                if together.count > 1 {
                    var strategies: [PostgresStrategy] = []
                    for member in statements[together] {
                        strategies.append(try chooser(CatalogFacts()).choose(member.statement))
                    }
                    try await runner.commit()
                    var builds = ParallelIndexBuilds(url: url, version: script.version, lockTimeout: lockTimeout, attemptTimeout: attemptTimeout)
                    builds.migrationID = script.id
                    builds.progress = progress
                    do {
                        try await builds.build(strategies)
                    } catch let failure as ParallelIndexBuilds.Failure {
                        current = statements[together.lowerBound + failure.offset]
                        throw failure.error
                    }
                    for (member, strategy) in zip(statements[together], strategies) { plans.append(plan(strategy, member)) }
                    index = together.upperBound
                    continue
                }
                index += 1
                let facts = try await catalog.facts(for: parsed.statement, minimumRows: onlineMinimumRows)
                let strategy = try chooser(facts, provenNotNull: proven[index - 1]).choose(
                    parsed.statement, commitsLater: commitsAfter[index - 1],
                    laterNames: Self.names(in: statements[index...], for: parsed.statement))
                let table = Self.tableName(parsed.statement) ?? ""
                var estimate = 0
                if strategy.steps.contains(where: { $0.mode == .batches }), !table.isEmpty {
                    estimate = (try? await catalog.estimatedRows(QualifiedName(name: table))) ?? 0
                }
                for step in strategy.steps {
                    if let index = step.buildsIndex {
                        if backendPID == nil { backendPID = try await session.value("SELECT pg_backend_pid()::text") }
                        let watcher = IndexBuildProgress(url: url, pid: backendPID ?? "0", migrationID: script.id, index: index.name.name)
                        try await watcher.watch(progress: progress) { try await runner.run(step) }
                        continue
                    }
                    let stepStarted = Date()
                    try await runner.run(step) { rows in
                        let rate = Double(rows) / max(Date().timeIntervalSince(stepStarted), 0.001)
                        let total = max(estimate, rows)
                        progress(
                            OperationProgress(
                                migrationID: script.id, table: table, phase: .backfill, rowsDone: rows, rowsTotal: total,
                                rowsPerSecond: rate, etaSeconds: rate > 0 && total > rows ? Double(total - rows) / rate : nil,
                                batchRows: 0, batchMilliseconds: 0))
                    }
                }
                plans.append(plan(strategy, parsed))
            }
            current = nil
            var change = change
            if case .record(var record) = change {
                record.executionMilliseconds = Int(Date().timeIntervalSince(started) * 1000)
                change = .record(record)
            }
            try await runner.finish(PostgresHistory.query(change))
            return plans
        } catch {
            await runner.rollback()
            let failure = PostgresFailure(error)
            var aftermath = EngineError.Aftermath(lockWait: failure.isLockTimeout)
            do {
                aftermath.notUndone = try await PostgresJournal.undo(session, version: script.version)
            } catch {
                aftermath.undoError = PostgresFailure(error).message
            }
            if let error = error as? EngineError { throw error }
            let statement = current ?? script.statements.last
            throw EngineError.statementFailed(
                location: (statement?.location ?? SourceLocation(line: 1, column: 1)).in(file: script.file),
                statement: statement?.source.text ?? "", message: failure.message, aftermath: aftermath)
        }
    }

    /// Runs the scripts against a schema-only copy (`ScriptRunner`).
    public func dryRun(_ scripts: [MigrationScript]) async throws -> [[StatementExecution]] {
        var interpreter = SchemaInterpreter(try await introspect())
        let catalog = PostgresCatalog(session: session)
        var result: [[StatementExecution]] = []
        for script in scripts {
            var plans: [StatementExecution] = []
            let statements = try Self.folded(script)
            let commitsAfter = PostgresStrategyChooser.commitsAfter(statements)
            let proven = FileForms.provenNotNull(statements.map(\.statement))
            for (index, parsed) in statements.enumerated() {
                do {
                    try interpreter.apply(parsed.statement)
                } catch {
                    throw EngineError.statementFailed(
                        location: parsed.location.in(file: script.file), statement: parsed.source.text, message: error.message)
                }
                let strategy = try await database {
                    let facts = try await catalog.facts(for: parsed.statement, minimumRows: self.onlineMinimumRows)
                    return try self.chooser(facts, provenNotNull: proven[index]).choose(
                        parsed.statement, commitsLater: commitsAfter[index],
                        laterNames: Self.names(in: statements[(index + 1)...], for: parsed.statement))
                }
                plans.append(plan(strategy, parsed))
            }
            result.append(plans)
        }
        return result
    }

    /// The strategy chooser for one statement's catalog facts.
    private func chooser(_ facts: CatalogFacts, provenNotNull: Set<String> = []) -> PostgresStrategyChooser {
        var chooser = PostgresStrategyChooser(facts: facts, dialect: dialect, minimumRows: onlineMinimumRows)
        chooser.provenNotNull = provenNotNull
        return chooser
    }

    private func plan(_ strategy: PostgresStrategy, _ parsed: ParsedStatement) -> StatementExecution {
        let sql = strategy.steps.map { step in
            switch step.mode {
            case .transaction: return step.sql
            case .ownTransaction: return step.sql + "  -- in a transaction of its own"
            case .autocommit: return step.sql + "  -- outside any transaction"
            case .batches: return step.sql + "\n-- repeated in short transactions until no row is left"
            case .atEnd: return step.sql + "  -- in the migration's last transaction"
            case .lockAttempt:
                return step.sql + "  -- as SET LOCAL in each transaction from here on; each lock retried until --lock-timeout"
            }
        }
        return StatementExecution(strategy: strategy.strategy, lock: strategy.lock, sql: sql, source: parsed.source.text, location: parsed.location)
    }

    // MARK: Helpers

    /// The script with unquoted names folded to lowercase, as PostgreSQL reads them.
    static func folded(_ script: MigrationScript) throws -> [ParsedStatement] {
        try script.statements.map { parsed in
            let tokens = parsed.source.tokens.map { token in
                var token = token
                if token.kind == .word { token.text = token.text.lowercased() }
                return token
            }
            let source = StatementSource(text: parsed.source.text, tokens: tokens)
            do throws(SQLSyntaxError) {
                return ParsedStatement(statement: try Parser.parse(source), source: source)
            } catch {
                throw EngineError.unsupported(location: error.location.in(file: script.file), message: error.message)
            }
        }
    }

    /// Lowercased identifiers `statements` mention, when `statement` is a type change that
    /// needs them (empty otherwise, so that other statements cost nothing).
    static func names(in statements: ArraySlice<ParsedStatement>, for statement: SQLStatement) -> Set<String> {
        guard case .alterTable(let alter) = statement,
            alter.actions.contains(where: { if case .alterColumnType = $0 { true } else { false } })
        else { return [] }
        return names(in: statements)
    }

    /// Lowercased identifiers `statements` mention.
    static func names(in statements: ArraySlice<ParsedStatement>) -> Set<String> {
        var names: Set<String> = []
        for parsed in statements {
            for token in parsed.source.tokens { if let name = token.identifierValue { names.insert(name.lowercased()) } }
        }
        return names
    }

    static func tableName(_ statement: SQLStatement) -> String? {
        switch statement {
        case .alterTable(let alter): return alter.table.name
        case .createTable(let create): return create.name.name
        case .createIndex(let index): return index.table.name
        default: return nil
        }
    }

    /// Runs `body`, wording server errors as `EngineError.database`.
    private func database<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError.database(PostgresFailure(error).message)
        }
    }
}
