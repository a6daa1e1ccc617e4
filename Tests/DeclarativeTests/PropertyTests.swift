import Foundation
import MigrationEngine
import MigrationKit
import SchemaDiff
import SchemaModel
import Testing

/// Random schemas planned from empty, applied to SQLite, introspected: equal; then
/// planned back to empty: nothing left.
@Suite struct PropertyTests {
    @Test(arguments: 1...100)
    func randomSchemaRoundTrips(seed: Int) async throws {
        let schema = RandomSchema.make(seed: UInt64(seed))
        let project = try Project()
        try project.setSchema(SchemaText.yaml(schema))

        let created = try await project.workflow.plan(name: "create", allowDestructive: false, write: true)
        #expect(!created.plan.isEmpty, "seed \(seed)")
        try await project.executor.migrateUp()
        #expect(try await project.pendingSteps() == [], "seed \(seed): introspection differs from the generated schema")

        let live = try await project.workflow.inspect()
        #expect(live.tables.count == schema.tables.count, "seed \(seed)")

        try project.setSchema("tables: {}\n")
        _ = try await project.workflow.plan(name: "drop all", allowDestructive: true, write: true)
        try await project.executor.migrateUp()
        #expect(try await project.workflow.inspect().tables.isEmpty, "seed \(seed): tables left after planning back to empty")

        // And back again: the down of the drop recreates everything.
        try await project.executor.migrateDown(count: 1)
        let restored = try await project.workflow.inspect()
        #expect(restored.tables.count == schema.tables.count, "seed \(seed)")
    }
}
