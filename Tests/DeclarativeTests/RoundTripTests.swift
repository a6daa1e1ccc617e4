import Foundation
import MigrationEngine
import MigrationKit
import SchemaDiff
import SchemaModel
import Testing
import Yams

/// One case of Cases/roundtrip.yaml or Cases/objects.yaml.
struct RoundTripCase: Decodable, Sendable {
    var name: String
    var current: String
    var desired: String
    /// The exact statements the planner writes, on SQLite (tables.yaml's cases).
    var up: [String]?
    var down: [String]?
    /// The step comments of the plan, on every engine the case runs on.
    var steps: [String]?
    /// `sqlite`, `postgres`; both when absent.
    var engines: [String]?
    var allow_destructive: Bool?

    static func load(_ file: String) throws -> [RoundTripCase] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Cases/" + file)
        return try YAMLDecoder().decode([RoundTripCase].self, from: String(contentsOf: url, encoding: .utf8))
    }
}

/// A case on one engine: the test's label says which.
struct EngineCase: CustomTestStringConvertible, Sendable {
    var engine: String
    var testCase: RoundTripCase
    var testDescription: String { "\(engine): \(testCase.name)" }

    /// Every case of `files` on every engine it names. Cases of SQLite-only features
    /// (AUTOINCREMENT, COLLATE NOCASE) in tables.yaml run on SQLite only.
    static func all(_ files: String...) throws -> [EngineCase] {
        try files.flatMap { try RoundTripCase.load($0) }.flatMap { testCase in
            let sqliteOnly = ["autoincrement", "nocase"].contains { (testCase.current + testCase.desired).lowercased().contains($0) }
            let engines = testCase.engines ?? (sqliteOnly ? ["sqlite"] : ["sqlite", "postgres"])
            return engines.map { EngineCase(engine: $0, testCase: testCase) }
        }
    }
}

@Suite struct RoundTripTests {
    /// plan + up, plan again, inspect then plan, inspect then rebuild an empty database,
    /// down, plan again; on SQLite files and on databases of the PostgreSQL test server.
    @Test(arguments: try EngineCase.all("roundtrip.yaml", "objects.yaml"))
    func roundTrip(_ engineCase: EngineCase) async throws {
        let postgres = engineCase.engine == "postgres"
        try await Self.phases(engineCase.testCase, in: try Project(postgres: postgres), label: engineCase.testDescription, postgres: postgres)
    }

    static func phases(_ testCase: RoundTripCase, in project: Project, label: String, postgres: Bool) async throws {
        // The starting point, built by the planner itself.
        try project.setSchema(testCase.current)
        _ = try await project.workflow.plan(name: "current", allowDestructive: true, write: true)
        try await project.executor.migrateUp()
        #expect(try await project.pendingSteps() == [], "current state: \(label)")
        let before = try await project.workflow.inspect()

        // 1. plan + up: the exact statements (SQLite) and steps, then the database equals the desired state.
        try project.setSchema(testCase.desired)
        let planned = try await project.workflow.plan(
            name: "change", allowDestructive: postgres || (testCase.allow_destructive ?? false), write: true)
        if let steps = testCase.steps {
            #expect(planned.plan.steps.map(\.comment) == steps, "steps of \(label)")
        }
        if !postgres, let up = testCase.up, let down = testCase.down {
            #expect(planned.plan.steps.flatMap(\.up) == up, "up of \(label)")
            #expect(planned.plan.steps.reversed().flatMap(\.down) == down, "down of \(label)")
        }
        if ProcessInfo.processInfo.environment["RECORD_CASES"] != nil {
            let record: [String: Any] = [
                "name": label, "steps": planned.plan.steps.map(\.comment), "up": planned.plan.steps.flatMap(\.up),
                "down": planned.plan.steps.reversed().flatMap(\.down),
            ]
            print("CASE_JSON " + String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self))
        }
        try await project.executor.migrateUp()
        // 2. plan again: nothing (live equals desired through introspection).
        #expect(try await project.pendingSteps() == [], "after up: \(label)")

        // inspect, use the output as the desired state: still nothing to do.
        let after = try await project.workflow.inspect()
        let inspected = SchemaText.yaml(after)
        try project.setSchema(inspected)
        #expect(try await project.pendingSteps() == [], "inspect then plan: \(label)")

        // inspect, used as the desired state of an empty database, builds the same catalog.
        let empty = try Project(postgres: postgres)
        try empty.setSchema(inspected)
        _ = try await empty.workflow.plan(name: "rebuild", allowDestructive: true, write: true)
        try await empty.executor.migrateUp()
        #expect(SchemaText.yaml(try await empty.workflow.inspect()) == inspected, "inspect then rebuild: \(label)")

        // 3. down: the database equals the current state again; 4. plan again: nothing.
        try await project.executor.migrateDown(count: 1)
        #expect(SchemaText.yaml(try await project.workflow.inspect()) == SchemaText.yaml(before), "after down, the catalog of before: \(label)")
        try project.removeMigration(planned)
        try project.setSchema(testCase.current)
        #expect(try await project.pendingSteps() == [], "after down: \(label)")
    }
}
