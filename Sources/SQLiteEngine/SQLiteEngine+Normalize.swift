import Foundation
import GRDB
import MigrationEngine
import SchemaModel

extension SQLiteEngine: SchemaNormalizer {
    /// Runs `script` in a new in-memory database, each statement as `up` would run it
    /// (`SQLiteStrategy`), in one transaction, and reads it back (`SchemaNormalizer`).
    public func normalize(_ script: MigrationScript) async throws -> Schema {
        let scratch = try SQLiteEngine(path: nil, tuning: tuning)
        try await scratch.write { db in
            try db.inTransaction {
                for parsed in script.statements { _ = try scratch.run(parsed, file: script.file, db) }
                return .commit
            }
        }
        return try await scratch.introspect()
    }
}
