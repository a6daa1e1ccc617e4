import Foundation
import GRDB

/// The built `migrate` binary: `$MIGRATE_BIN` (set by scripts/test), else beside the test bundle.
let migrateBinary: String = {
    if let path = ProcessInfo.processInfo.environment["MIGRATE_BIN"], !path.isEmpty { return path }
    let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [products, products.deletingLastPathComponent()] {
        let binary = candidate.appendingPathComponent("migrate").path
        if FileManager.default.isExecutableFile(atPath: binary) { return binary }
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/migrate").path
}()

/// The repository root, for its `migrations/` and `examples/`.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var output: String { stdout + stderr }
}

/// A temporary working directory in which tests run the binary as a user would.
struct Workspace {
    /// Waits for locks, as an application would.
    static var configuration: Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        return configuration
    }

    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("migrate-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path + "/migrations", withIntermediateDirectories: true)
    }

    var databasePath: String { path + "/app.db" }

    /// Runs `migrate` with `arguments` in the workspace, without DATABASE_URL or NO_COLOR unless given.
    @discardableResult
    func migrate(_ arguments: String..., environment: [String: String] = [:], executable: String = migrateBinary) throws -> RunResult {
        try start(arguments, environment: environment, executable: executable).wait()
    }

    func start(_ arguments: [String], environment: [String: String] = [:], executable: String = migrateBinary) throws -> RunningProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: path)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DATABASE_URL")
        env.removeValue(forKey: "NO_COLOR")
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return RunningProcess(process: process, out: out, err: err)
    }

    func write(_ relativePath: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path + "/" + relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func read(_ relativePath: String) throws -> String {
        try String(contentsOfFile: path + "/" + relativePath, encoding: .utf8)
    }

    /// Writes migration `id`'s up and down files.
    func migration(_ id: String, _ slug: String, up: String, down: String) throws {
        try write("migrations/\(id)_\(slug).up.sql", "-- Migration: \(slug.replacingOccurrences(of: "_", with: " "))\n\n\(up)\n")
        try write("migrations/\(id)_\(slug).down.sql", "-- Migration: \(slug.replacingOccurrences(of: "_", with: " "))\n\n\(down)\n")
    }

    func execute(_ sql: String) throws {
        let queue = try DatabaseQueue(path: databasePath, configuration: Self.configuration)
        try queue.write { try $0.execute(sql: sql) }
    }

    /// Rows as strings, for comparisons.
    func rows(_ sql: String) throws -> [[String]] {
        let queue = try DatabaseQueue(path: databasePath, configuration: Self.configuration)
        return try queue.read { db in
            try Row.fetchAll(db, sql: sql).map { row in row.databaseValues.map { $0.isNull ? "NULL" : "\($0.storage.value!)" } }
        }
    }

    /// The schema without the history table: what a user's migration may change.
    func userSchema() throws -> [[String]] {
        try rows("SELECT type, name, coalesce(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'schema_migrations%' ORDER BY type, name")
    }

    func fileData(_ relativePath: String) -> Data? {
        FileManager.default.contents(atPath: path + "/" + relativePath)
    }
}

struct RunningProcess {
    let process: Process
    let out: Pipe
    let err: Pipe

    func wait() -> RunResult {
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return RunResult(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}
