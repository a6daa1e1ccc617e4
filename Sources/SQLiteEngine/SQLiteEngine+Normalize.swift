import Foundation
import MigrationEngine
import SchemaModel

extension SQLiteEngine: SchemaNormalizer {
    /// Runs `script` in a new in-memory database through the engine's own path (as `up`
    /// would run it) and reads it back (`SchemaNormalizer`).
    public func normalize(_ script: MigrationScript) async throws -> Schema {
        let scratch = try SQLiteEngine(path: nil, tuning: tuning)
        try await scratch.prepareHistory()
        let record = HistoryRecord(
            version: script.version, description: script.description, checksum: "", appliedAt: Date(), executionMilliseconds: 0, status: .applied)
        _ = try await scratch.apply(script, history: .record(record), progress: { _ in })
        return try await scratch.introspect()
    }
}
