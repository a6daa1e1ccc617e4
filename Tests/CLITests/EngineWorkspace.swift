import Foundation
import Testing

/// The engines the shared end-to-end cases run on; a failure names the engine.
enum TestEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

/// A workspace with a fresh database on one engine: `migrate` runs with `DATABASE_URL`
/// pointing at it; `execute` and `rows` go through sqlite3's library or psql.
struct EngineWorkspace {
    let engine: TestEngine
    let ws: Workspace
    let url: String

    init(_ engine: TestEngine) throws {
        self.engine = engine
        ws = try Workspace()
        switch engine {
        case .sqlite: url = "sqlite:" + ws.databasePath
        case .postgres: url = try PostgresTestServer.createDatabase()
        }
    }

    @discardableResult
    func migrate(_ arguments: String..., environment: [String: String] = [:]) throws -> RunResult {
        try ws.migrate(arguments, environment: environment.merging(["DATABASE_URL": url]) { a, _ in a })
    }

    func start(_ arguments: [String]) throws -> RunningProcess {
        try ws.start(arguments, environment: ["DATABASE_URL": url])
    }

    func migration(_ id: String, _ slug: String, up: String, down: String) throws {
        try ws.migration(id, slug, up: up, down: down)
    }

    func execute(_ sql: String) throws {
        switch engine {
        case .sqlite: try ws.execute(sql)
        case .postgres: _ = try PostgresTestServer.psql(url, sql)
        }
    }

    /// Rows as strings; NULL as "NULL".
    func rows(_ sql: String) throws -> [[String]] {
        switch engine {
        case .sqlite: return try ws.rows(sql)
        case .postgres: return try PostgresTestServer.psql(url, sql)
        }
    }

    /// The live schema as `migrate inspect` prints it: engine-neutral, for before/after comparisons.
    func inspect() throws -> String {
        let run = try migrate("inspect")
        #expect(run.status == 0, "\(engine): \(run.output)")
        return run.stdout
    }
}

extension Workspace {
    @discardableResult
    func migrate(_ arguments: [String], environment: [String: String]) throws -> RunResult {
        try start(arguments, environment: environment).wait()
    }
}

/// The throwaway server scripts/test starts (`MIGRATE_TEST_POSTGRES_URL`); each test gets a database of its own.
enum PostgresTestServer {
    static var baseURL: String {
        get throws {
            let url = ProcessInfo.processInfo.environment["MIGRATE_TEST_POSTGRES_URL"] ?? ""
            try #require(!url.isEmpty, "MIGRATE_TEST_POSTGRES_URL is not set: run the tests with scripts/test, which starts a PostgreSQL server")
            return url
        }
    }

    static let psqlBinary: String = {
        let configured = ProcessInfo.processInfo.environment["MIGRATE_TEST_PSQL"] ?? ""
        return configured.isEmpty ? "/usr/bin/psql" : configured
    }()

    /// A new empty database; its URL.
    static func createDatabase() throws -> String {
        let base = try baseURL
        let name = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        _ = try psql(base, "CREATE DATABASE \(name)")
        return base.replacingOccurrences(of: "/postgres?", with: "/\(name)?")
    }

    /// Runs `sql` with psql; the last statement's rows, fields as text, NULL as "NULL".
    static func psql(_ url: String, _ sql: String) throws -> [[String]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: psqlBinary)
        process.arguments = ["-X", "-q", "-A", "-t", "-F", "\u{1F}", "-P", "null=NULL", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PSQLFailed(message: String(decoding: stderr, as: UTF8.self))
        }
        return String(decoding: stdout, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init) }
    }

    struct PSQLFailed: Error, CustomStringConvertible {
        var message: String
        var description: String { "psql: \(message)" }
    }
}
