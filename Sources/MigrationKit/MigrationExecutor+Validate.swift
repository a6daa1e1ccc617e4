import Foundation
import MigrationEngine
import SQLSyntax
import SchemaDiff
import SchemaModel

/// `migrate validate`: every check that needs no database, on every migration file.
extension MigrationExecutor {
    /// Checks every migration file without changing anything: names and numbering, every
    /// up and down file parses and suits the engine, every up has a non-empty down,
    /// dangerous operations are allowed, and lint. When the database exists, its pending
    /// migrations also run against a schema-only copy of it; without one, self-contained
    /// migrations (those that create what they change) run against an empty database.
    /// - Throws: `MigrationError.invalidInput` when the directory itself is unreadable.
    public func validate() async throws -> ValidationReport {
        let files = try MigrationDirectory.load(configuration.migrationsDirectory, mustExist: true)
        var report = ValidationReport(migrations: files.count)
        report.notes += Self.numberingGaps(files)
        let engine = try openEngine(true)
        let engineName = engine.capabilities.displayName
        report.notes.append(
            "checked for \(engineName), the engine of \(configuration.database) (--database, DATABASE_URL or migrate.yaml name another)")
        let preflight = Preflight(engine: engine, allowDangerous: configuration.allowDangerous)
        let planner = Planner(comparator: SchemaComparator(dialect: engine.sqlDialect), engine: engine.capabilities)

        // The database is optional: without one the files are checked on their own.
        var reachable = true
        var history: [HistoryRecord] = []
        var live = Schema()
        do {
            history = try await engine.history()
            live = try await engine.introspect()
        } catch EngineError.connection(let message) {
            reachable = false
            report.notes.append("could not reach the database (\(message)); checked the files without it")
        } catch let error as EngineError {
            throw MigrationError.engine(error)
        }
        let hasDatabase = !history.isEmpty || !live.tables.isEmpty
        let pending = Set(MigrationSelection.pending(MigrationSelection.states(files: files, history: history)).map(\.version))
        // Interpreters carried from file to file and changed in place (a copy of the schema
        // model per file would cost the whole schema per migration): what the migrations
        // build from nothing, the linter's view of it, and, with a database, what its
        // pending ones leave on it.
        var built = SchemaInterpreter()
        var lintedBuilt = SchemaInterpreter()
        var onDatabase = SchemaInterpreter(live)
        var selfContained = true
        var ups: [MigrationScript] = []
        for file in files {
            // With a database, pending files are linted on its schema; without, every file
            // on the schema the migrations before it build.
            let linted = !hasDatabase || pending.contains(file.version)
            let up: Preflight.Outcome
            do {
                if !linted {
                    up = try await preflight.check(file, .up, lintingAgainst: nil)
                } else if hasDatabase {
                    up = try await preflight.check(file, .up, linting: &onDatabase)
                } else {
                    up = try await preflight.check(file, .up, linting: &lintedBuilt)
                }
            } catch {
                report.errors.append("\(error)")
                selfContained = false
                continue
            }
            ups.append(up.script)
            report.dangerous += up.dangerous
            report.warnings += up.warnings
            // What the revert check compares: the tables the two files name, as they were.
            let downStatements = (try? file.script(.down))?.statements ?? []
            let touched = Self.tablesNamed(up.script.statements + downStatements, indexOwners: built)
            let before = touched.map { Schema(tables: built.tables(named: $0), objects: built.schema.objects) }
            let everything = touched == nil ? built.schema : nil
            var upApplied = true
            do {
                try built.apply(up.script.statements, file: up.script.file)
            } catch {
                selfContained = false
                upApplied = false
            }

            do {
                var downState = Self.downLintState(hasDatabase ? onDatabase : lintedBuilt, touched: touched, down: downStatements)
                let down =
                    linted
                    ? try await preflight.check(file, .down, linting: &downState) : try await preflight.check(file, .down, lintingAgainst: nil)
                report.dangerous += down.dangerous
                report.warnings += down.warnings
                if upApplied,
                    let finding = revertFinding(
                        up: built, down: down.script, touched: touched, before: before ?? everything ?? Schema(), planner: planner)
                {
                    report.warnings.append(finding)
                }
            } catch {
                report.errors.append("\(error)")
            }
        }

        // The engine runs them, on a schema-only copy, when that can mean something.
        guard report.errors.isEmpty && report.dangerous.isEmpty else { return report }
        let scripts: [MigrationScript]
        if !reachable {
            scripts = []
        } else if hasDatabase {
            scripts = ups.filter { pending.contains($0.version) }
            report.notes.append("ran \(scripts.count) pending migration\(scripts.count == 1 ? "" : "s") against a schema-only copy of the database")
        } else if selfContained {
            scripts = ups
            report.notes.append("ran every migration against an empty database")
        } else {
            scripts = []
            report.notes.append(
                "the migrations change tables they do not create; pass --database to run them against a copy of that database's schema")
        }
        if !scripts.isEmpty {
            do {
                _ = try await Self.wrap { try await engine.dryRun(scripts) }
            } catch {
                report.errors.append("\(error)")
            }
        }
        return report
    }

    /// A warning when the down file, replayed on the schema its up leaves, does not give
    /// back the schema from before the up (rule `down-does-not-revert`).
    /// Only the tables the two files name (`touched`; nil for every table) and the objects
    /// that differ are compared, on a model of those tables alone, so that the check costs
    /// the migration's size, not the schema's. `before` holds those tables before the up.
    func revertFinding(up after: SchemaInterpreter, down: MigrationScript, touched: Set<String>?, before: Schema, planner: Planner)
        -> LintFinding?
    {
        let location = SourceLocation(line: 1, column: 1)
        var interpreter =
            touched.map { SchemaInterpreter(Schema(tables: after.tables(named: $0), objects: after.schema.objects)) } ?? after
        do {
            try interpreter.apply(down.statements, file: down.file)
        } catch {
            return LintFinding(
                rule: "down-does-not-revert", severity: .warning, file: down.file, location: error.location,
                message: "the down file does not apply to the schema its up file leaves: \(error.message)",
                fix: "make the down file undo exactly what the up file does")
        }
        let reverted = interpreter.schema
        let left = planner.plan(from: Self.differing(reverted, from: before), to: Self.differing(before, from: reverted)).steps.map(\.comment)
        guard !left.isEmpty else { return nil }
        return LintFinding(
            rule: "down-does-not-revert", severity: .warning, file: down.file, location: location,
            message: "after up then down the schema differs from before; the down file also needs to: " + left.prefix(3).joined(separator: "; ")
                + (left.count > 3 ? "; and \(left.count - 3) more" : ""),
            fix: "make the down file undo exactly what the up file does")
    }

    /// What the down file is linted on: the tables the two files name (`touched`) as
    /// `state`, the schema the up leaves, has them, and every object. Linting a copy of the
    /// whole schema instead, changed by the down, would cost the schema's size per file and
    /// make `validate` quadratic in the history. The whole `state` when `touched` is nil or
    /// the down drops a unique index, which a foreign key in any table may rely on
    /// (`drop-index-used-by-foreign-key`).
    static func downLintState(_ state: SchemaInterpreter, touched: Set<String>?, down: [ParsedStatement]) -> SchemaInterpreter {
        guard var names = touched else { return state }
        for parsed in down {
            guard case .dropIndex(let drop) = parsed.statement else { continue }
            for name in drop.names {
                guard let (t, i) = state.index(name.name) else { continue }
                if state.schema.tables[t].indexes[i].unique { return state }
                names.insert(state.schema.tables[t].name.lowercased())
            }
        }
        return SchemaInterpreter(Schema(tables: state.tables(named: names), objects: state.schema.objects))
    }

    /// Lowercased names of the tables `statements` create, drop, rename, alter or index
    /// (the table of a dropped index from `indexOwners`, or from an index the statements
    /// create); nil when a dropped index has no known table, meaning every table.
    static func tablesNamed(_ statements: [ParsedStatement], indexOwners: SchemaInterpreter) -> Set<String>? {
        var names: Set<String> = []
        var created: [String: String] = [:]
        for parsed in statements {
            if case .createIndex(let index) = parsed.statement, let name = index.name?.name {
                created[name.lowercased()] = index.table.name
            }
        }
        for parsed in statements {
            if case .dropIndex(let drop) = parsed.statement {
                for name in drop.names {
                    guard let table = indexOwners.table(ofIndex: name.name) ?? created[name.name.lowercased()] else { return nil }
                    names.insert(table.lowercased())
                }
            }
            // An identity change passes through the parser but changes a column.
            if case .other(let passThrough) = parsed.statement, let change = IdentityChange.recognize(passThrough) {
                names.insert(change.table.lowercased())
            }
            names.formUnion(parsed.statement.tablesNamed.map { $0.lowercased() })
        }
        return names
    }

    /// `schema` without the objects `other` holds as they are. The objects are few beside
    /// the tables; comparing them all keeps views, functions and types in the check.
    static func differing(_ schema: Schema, from other: Schema) -> Schema {
        var subset = schema
        let same = Set(other.objects)
        subset.objects = schema.objects.filter { !same.contains($0) }
        return subset
    }

    /// "numbering skips from 003 to 005" for each gap.
    static func numberingGaps(_ files: [MigrationFile]) -> [String] {
        zip(files, files.dropFirst()).compactMap { a, b in
            b.version > a.version + 1 ? "numbering skips from \(a.id) to \(b.id)" : nil
        }
    }
}

/// What `validate` found.
public struct ValidationReport: Sendable {
    /// How many migration files were checked.
    public var migrations: Int
    /// Problems that make `up`/`down` refuse to run, each naming its place.
    public var errors: [String] = []
    /// Dangerous operations not allowed: `up`/`down` refuse them too.
    public var dangerous: [LintFinding] = []
    /// Lint warnings; errors under `--strict`.
    public var warnings: [LintFinding] = []
    /// What was and was not checked, and why.
    public var notes: [String] = []

    /// Whether `up` and `down` would accept these files (`strict`: warnings count).
    public func passes(strict: Bool) -> Bool {
        errors.isEmpty && dangerous.isEmpty && (!strict || warnings.isEmpty)
    }
}
