import Foundation
import MigrationEngine
import MigrationKit
import SchemaDiff
import SchemaModel
import Testing
import Yams

/// One case of Cases/roundtrip.yaml.
struct RoundTripCase: Decodable, CustomTestStringConvertible, Sendable {
    var name: String
    var current: String
    var desired: String
    var up: [String]
    var down: [String]
    var allow_destructive: Bool?

    var testDescription: String { name }

    static func all() throws -> [RoundTripCase] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Cases/roundtrip.yaml")
        return try YAMLDecoder().decode([RoundTripCase].self, from: String(contentsOf: file, encoding: .utf8))
    }
}

@Suite struct RoundTripTests {
    @Test(arguments: try RoundTripCase.all())
    func roundTrip(_ testCase: RoundTripCase) async throws {
        try await Self.phases(testCase, in: try Project(), checkStatements: true)
    }

    /// The same cases on PostgreSQL: every statement the planner writes runs there, up
    /// and down, and introspection gives back the desired state (no false difference).
    /// Cases of SQLite-only features (AUTOINCREMENT, COLLATE NOCASE) are left out.
    @Test(
        arguments: try RoundTripCase.all().filter { testCase in
            !["autoincrement", "nocase"].contains { (testCase.current + testCase.desired).lowercased().contains($0) }
        })
    func roundTripOnPostgres(_ testCase: RoundTripCase) async throws {
        try await Self.phases(testCase, in: try Project(postgres: true), checkStatements: false)
    }

    /// plan + up, plan again, inspect then plan, down, plan again.
    /// - Parameter checkStatements: expect the exact statements of the case (they are
    ///   SQLite's; on PostgreSQL the starting point is checked instead).
    static func phases(_ testCase: RoundTripCase, in project: Project, checkStatements: Bool) async throws {
        // The starting point, built by the planner itself.
        try project.setSchema(testCase.current)
        _ = try await project.workflow.plan(name: "current", allowDestructive: true, write: true)
        try await project.executor.migrateUp()
        if !checkStatements {
            #expect(try await project.pendingSteps() == [], "current state: \(testCase.name)")
        }

        // 1. plan + up: the exact statements, then the database equals the desired state.
        try project.setSchema(testCase.desired)
        let allow = !checkStatements || (testCase.allow_destructive ?? false)
        let planned = try await project.workflow.plan(name: "change", allowDestructive: allow, write: true)
        if checkStatements {
            let up = planned.plan.steps.flatMap(\.up)
            let down = planned.plan.steps.reversed().flatMap(\.down)
            if ProcessInfo.processInfo.environment["RECORD_CASES"] != nil {
                let record = try JSONSerialization.data(withJSONObject: ["name": testCase.name, "up": up, "down": down] as [String: Any])
                print("CASE_JSON " + String(decoding: record, as: UTF8.self))
            }
            #expect(up == testCase.up, "up of \(testCase.name)")
            #expect(down == testCase.down, "down of \(testCase.name)")
        }
        try await project.executor.migrateUp()
        // 2. plan again: nothing (live equals desired through introspection).
        #expect(try await project.pendingSteps() == [], "after up: \(testCase.name)")

        // inspect, use the output as the desired state: still nothing to do.
        try project.setSchema(SchemaText.yaml(try await project.workflow.inspect()))
        #expect(try await project.pendingSteps() == [], "inspect then plan: \(testCase.name)")

        // 3. down: the database equals the current state again; 4. plan again: nothing.
        try await project.executor.migrateDown(count: 1)
        try project.removeMigration(planned)
        try project.setSchema(testCase.current)
        #expect(try await project.pendingSteps() == [], "after down: \(testCase.name)")
    }
}
