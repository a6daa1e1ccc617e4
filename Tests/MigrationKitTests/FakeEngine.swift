import Foundation
import MigrationEngine
import SQLSyntax
import SchemaDiff
import SchemaModel

@testable import MigrationKit

/// An engine that records what the executor asks of it and fails where told to.
final class FakeEngine: DatabaseEngine, @unchecked Sendable {
    private let lock = NSLock()
    private var _history: [HistoryRecord] = []
    private var _calls: [String] = []
    /// Versions whose apply throws.
    var failing: Set<Int> = []
    /// What a failure says it left in place.
    var aftermath = EngineError.Aftermath()

    init(history: [HistoryRecord] = []) {
        _history = history
    }

    var calls: [String] { lock.withLock { _calls } }
    var records: [HistoryRecord] { lock.withLock { _history } }

    private func log(_ call: String) {
        lock.withLock { _calls.append(call) }
    }

    func withMigratorLock<T: Sendable>(timeout: Double, _ body: @Sendable () async throws -> T) async throws -> T {
        log("lock")
        defer { log("unlock") }
        return try await body()
    }

    func prepareHistory() async throws { log("prepareHistory") }

    var sqlDialect: any SQLDialect { MigrationFileDialect() }
    var capabilities: any EngineCapabilities { FakeCapabilities() }
    func introspect() async throws -> Schema { Schema() }

    func history() async throws -> [HistoryRecord] { records }

    func validate(_ script: MigrationScript) async throws { log("validate \(script.id) \(script.direction)") }

    func dryRun(_ scripts: [MigrationScript]) async throws -> [[StatementExecution]] {
        log("dryRun " + scripts.map(\.id).joined(separator: ","))
        return scripts.map { _ in [] }
    }

    func interruptedOperations() async throws -> [InterruptedOperation] { [] }

    func recover(progress: @escaping ProgressHandler) async throws -> [String] { [] }

    func apply(_ script: MigrationScript, history change: HistoryChange, progress: @escaping ProgressHandler) async throws -> [StatementExecution] {
        log("apply \(script.id) \(script.direction)")
        if failing.contains(script.version) {
            throw EngineError.statementFailed(
                location: SourceLocation(line: 2, column: 1).in(file: script.file), statement: "BAD", message: "boom", aftermath: aftermath)
        }
        lock.withLock {
            switch change {
            case .record(let record):
                _history.removeAll { $0.version == record.version }
                _history.append(record)
            case .remove(let version): _history.removeAll { $0.version == version }
            }
        }
        return []
    }

    func recordFailure(_ record: HistoryRecord) async throws {
        log("recordFailure \(record.version)")
        lock.withLock {
            _history.removeAll { $0.version == record.version }
            _history.append(record)
        }
    }
}

/// A temporary migrations directory.
struct TestDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("migrate-kit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
    }

    /// Writes `NNN_<slug>.up.sql` and `.down.sql`.
    func migration(_ id: String, _ slug: String, up: String = "CREATE TABLE t (x INT);", down: String = "-- migrate:allow-dangerous\nDROP TABLE t;")
        throws
    {
        try write("\(id)_\(slug).up.sql", "-- Migration: \(slug.replacingOccurrences(of: "_", with: " "))\n\(up)\n")
        try write("\(id)_\(slug).down.sql", down + "\n")
    }
}

/// A fake engine's capabilities: it rebuilds nothing and has no lint rules of its own.
struct FakeCapabilities: EngineCapabilities {
    var displayName: String { "fake" }
    func rebuildsTable(_ action: AlterTableAction) -> Bool { false }
    func typeChangeRewrites(from old: DataType?, to new: DataType) -> Bool { false }
    var lintRules: [any LintRule] { [] }
}
