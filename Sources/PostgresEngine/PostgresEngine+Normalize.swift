import Foundation
import MigrationEngine
import SQLSyntax
import SchemaModel

extension PostgresEngine: SchemaNormalizer {
    /// Runs `script` in one transaction of a scratch database and reads the schema back
    /// before rolling it back (`SchemaNormalizer`). The scratch database is the one
    /// `--dev-url` names (it must be empty, and stays so), else a temporary database
    /// created on the same server from `template0` and dropped afterwards.
    public func normalize(_ script: MigrationScript) async throws -> Schema {
        var url = url
        var created: String?
        if let scratchURL {
            url = scratchURL
        } else {
            let name = "_migrate_scratch_" + UUID().uuidString.prefix(8).lowercased()
            do {
                try await session.execute("CREATE DATABASE \(name) TEMPLATE template0")
            } catch {
                throw EngineError.database(
                    "cannot create a scratch database to load the desired state into (\(PostgresFailure(error).message)); "
                        + "name an empty database with --dev-url")
            }
            created = name
            url.database = name
        }
        let scratch = PostgresSession(url: url)
        do {
            let schema = try await load(script, into: scratch, checkEmpty: created == nil)
            await scratch.close()
            if let created { try? await session.execute("DROP DATABASE IF EXISTS \(created)") }
            return schema
        } catch {
            await scratch.close()
            if let created { try? await session.execute("DROP DATABASE IF EXISTS \(created)") }
            throw error
        }
    }

    private func load(_ script: MigrationScript, into scratch: PostgresSession, checkEmpty: Bool) async throws -> Schema {
        try await scratch.execute("BEGIN")
        let schemaName = dialect.quote(url.schema)
        try await scratch.execute("CREATE SCHEMA IF NOT EXISTS \(schemaName)")
        try await scratch.execute("SET LOCAL search_path TO \(schemaName)")
        if checkEmpty {
            let before = try await PostgresInspector.schema(scratch)
            if !before.tables.isEmpty || before.objects.contains(where: { $0.kind != .extension && $0.kind != .schema }) {
                try? await scratch.execute("ROLLBACK")
                throw EngineError.database("the --dev-url database is not empty; name a database with no tables or other objects")
            }
        }
        let statements = try Self.folded(script)
        // One round trip for all of them; only when that fails, one at a time to name the one.
        do {
            try await scratch.execute("SAVEPOINT load")
            try await scratch.execute(Self.doBlock(statements.map(plainSQL)))
        } catch {
            try await scratch.execute("ROLLBACK TO SAVEPOINT load")
            for parsed in statements {
                do {
                    try await scratch.execute(plainSQL(parsed))
                } catch {
                    try? await scratch.execute("ROLLBACK")
                    throw EngineError.statementFailed(
                        location: parsed.location.in(file: script.file), statement: parsed.source.text, message: PostgresFailure(error).message)
                }
            }
        }
        let schema = try await PostgresInspector.schema(scratch)
        try await scratch.execute("ROLLBACK")
        return schema
    }

    /// `DO $tag$ BEGIN EXECUTE '...'; ... END $tag$`: statements in one round trip.
    static func doBlock(_ statements: [String]) -> String {
        var tag = "migrate_load"
        while statements.contains(where: { $0.contains("$\(tag)$") }) { tag += "_" }
        let body = statements.map { "EXECUTE \(PostgresSQL.literal($0));" }.joined(separator: "\n")
        return "DO $\(tag)$ BEGIN\n\(body)\nEND $\(tag)$"
    }

    /// The statement as PostgreSQL runs it on new tables: no `CONCURRENTLY`.
    private func plainSQL(_ parsed: ParsedStatement) -> String {
        switch parsed.statement {
        case .createTable(let table): return dialect.createTable(table)
        case .createIndex(var index):
            index.concurrently = false
            return dialect.createIndex(index)
        case .alterTable(var alter):
            alter.concurrently = false
            return dialect.alterTable(alter)
        default: return parsed.source.text
        }
    }
}
