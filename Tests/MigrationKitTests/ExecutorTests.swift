import Foundation
import MigrationEngine
import Testing

@testable import MigrationKit

@Suite struct ExecutorTests {
    func executor(_ directory: TestDirectory, _ engine: FakeEngine, dryRun: Bool = false) -> MigrationExecutor {
        MigrationExecutor(configuration: MigrationConfiguration(migrationsDirectory: directory.path, dryRun: dryRun), engine: engine)
    }

    func applied(_ version: Int, checksum: String) -> HistoryRecord {
        HistoryRecord(version: version, description: "x", checksum: checksum, appliedAt: Date(), executionMilliseconds: 1, status: .applied)
    }

    @Test func appliesPendingInOrderUnderTheLock() async throws {
        let dir = try TestDirectory()
        try dir.migration("002", "second")
        try dir.migration("001", "first")
        let engine = FakeEngine()
        let results = try await executor(dir, engine).migrateUp()
        #expect(results.map(\.id) == ["001", "002"])
        #expect(results.allSatisfy { $0.outcome == .applied })
        #expect(engine.calls == ["validate 001 up", "validate 002 up", "lock", "prepareHistory", "apply 001 up", "apply 002 up", "unlock"])
        #expect(engine.records.map(\.version) == [1, 2])
    }

    @Test func failureStopsRecordsAndReportsWhatRan() async throws {
        let dir = try TestDirectory()
        try dir.migration("001", "first")
        try dir.migration("002", "second")
        try dir.migration("003", "third")
        let engine = FakeEngine()
        engine.failing = [2]
        await #expect {
            try await executor(dir, engine).migrateUp()
        } throws: { error in
            guard case .migrationFailed(let failed, let results)? = error as? MigrationError else { return false }
            return failed.id == "002" && failed.error?.contains("boom") == true
                && results.map(\.outcome) == [.applied, .failed] && (error as? MigrationError)?.exitCode == 1
        }
        #expect(!engine.calls.contains("apply 003 up"))
        #expect(engine.calls.contains("recordFailure 2"))
        #expect(engine.records.map(\.status) == [.applied, .failed])
    }

    /// Whether the headline says "as it was" follows the engine's typed aftermath, not words
    /// in its message.
    @Test func headlineFollowsWhatTheEngineLeftInPlace() async throws {
        let dir = try TestDirectory()
        try dir.migration("001", "first")
        for (left, headline) in [([], "the database is as it was before it"), (["TRUNCATE t"], "rolled back except as said at the end")] {
            let engine = FakeEngine()
            engine.failing = [1]
            engine.aftermath = EngineError.Aftermath(notUndone: left)
            await #expect {
                try await executor(dir, engine).migrateUp()
            } throws: { error in
                guard case .migrationFailed(let failed, _)? = error as? MigrationError else { return false }
                return "\(error)".contains(headline) && failed.failure?.leftChanges == !left.isEmpty
            }
        }
    }

    @Test func failedMigrationIsRetriedByTheNextUp() async throws {
        let dir = try TestDirectory()
        try dir.migration("001", "first")
        let engine = FakeEngine()
        engine.failing = [1]
        _ = try? await executor(dir, engine).migrateUp()
        #expect(try await executor(dir, engine).status().map(\.status) == [.failed])
        engine.failing = []
        #expect(try await executor(dir, engine).migrateUp().map(\.id) == ["001"])
        #expect(try await executor(dir, engine).status().map(\.status) == [.applied])
    }

    @Test func modifiedFileBlocksUpAndRunsNothing() async throws {
        let dir = try TestDirectory()
        try dir.migration("001", "first")
        try dir.migration("002", "second")
        let engine = FakeEngine(history: [applied(1, checksum: "not-the-file")])
        await #expect {
            try await executor(dir, engine).migrateUp()
        } throws: { error in
            guard case .modified(let ids)? = error as? MigrationError else { return false }
            return ids == ["001"]
        }
        #expect(!engine.calls.contains { $0.hasPrefix("apply") })
    }

    @Test func downRevertsNewestFirst() async throws {
        let dir = try TestDirectory()
        try dir.migration("001", "first")
        try dir.migration("002", "second")
        let engine = FakeEngine()
        try await executor(dir, engine).migrateUp()
        let results = try await executor(dir, engine).migrateDown(count: 5)
        #expect(results.map(\.id) == ["002", "001"])
        #expect(results.allSatisfy { $0.outcome == .reverted })
        #expect(engine.records.isEmpty)
    }

    @Test func upToStopsAtTheTarget() async throws {
        let dir = try TestDirectory()
        try dir.migration("001", "first")
        try dir.migration("002", "second")
        let engine = FakeEngine()
        #expect(try await executor(dir, engine).migrateUp(to: 1).map(\.id) == ["001"])
        await #expect(throws: MigrationError.self) { try await executor(dir, engine).migrateUp(to: 9) }
    }

    @Test func dryRunValidatesAndAppliesNothing() async throws {
        let dir = try TestDirectory()
        try dir.migration("001", "first")
        let engine = FakeEngine()
        let results = try await executor(dir, engine, dryRun: true).migrateUp()
        #expect(results.map(\.outcome) == [.planned])
        #expect(engine.calls == ["validate 001 up", "dryRun 001"])
    }

    @Test func syntaxErrorIsBadInputAndNothingRuns() async throws {
        let dir = try TestDirectory()
        try dir.migration("001", "first", up: "CREATE TABLE t (x INT);\nALTER TABLE t ADD COLUMN;")
        let engine = FakeEngine()
        await #expect {
            try await executor(dir, engine).migrateUp()
        } throws: { error in
            let error = error as? MigrationError
            return error?.exitCode == 2 && error?.description.hasSuffix("001_first.up.sql:3:25: expected column name, found end of statement") == true
        }
        #expect(engine.calls.isEmpty)
    }

    @Test(arguments: ["BEGIN;", "COMMIT;", "ROLLBACK;"])
    func transactionControlIsRefused(statement: String) async throws {
        let dir = try TestDirectory()
        try dir.migration("001", "first", up: "\(statement)\nCREATE TABLE t (x INT);")
        await #expect(throws: MigrationError.self) { try await executor(dir, FakeEngine()).migrateUp() }
    }

    @Test func emptyDownFileIsRefusedForANonEmptyUp() async throws {
        let dir = try TestDirectory()
        try dir.migration("001", "first", down: "-- nothing here")
        await #expect {
            try await executor(dir, FakeEngine()).migrateUp()
        } throws: { error in
            (error as? MigrationError)?.description.contains("the down file has no statements") == true
        }
    }

    @Test func eventsReportEachMigration() async throws {
        let dir = try TestDirectory()
        try dir.migration("001", "first")
        let executor = executor(dir, FakeEngine())
        try await executor.migrateUp()
        var iterator = executor.events.makeAsyncIterator()
        var seen: [String] = []
        while seen.count < 3, let event = await iterator.next() {
            switch event {
            case .acquiringLock: seen.append("lock")
            case .migrationStarted(let id, _, _): seen.append("start \(id)")
            case .migrationFinished(let result): seen.append("done \(result.id)")
            case .migrationFailed: seen.append("failed")
            case .progress, .recovered, .lint: break
            }
        }
        #expect(seen == ["lock", "start 001", "done 001"])
    }
}

extension ExecutorTests {
    @Test func dangerousOperationsAreRefusedBeforeAnythingRuns() async throws {
        let dir = try TestDirectory()
        try dir.migration("001", "first", up: "CREATE TABLE t (x INT);\nDELETE FROM t;", down: "DROP TABLE t;")
        let engine = FakeEngine()
        await #expect {
            try await executor(dir, engine).migrateUp()
        } throws: { error in
            guard case .refused(let findings)? = error as? MigrationError else { return false }
            return findings.map(\.rule) == ["delete-without-where"] && findings[0].location.line == 3
                && (error as? MigrationError)?.exitCode == 2
        }
        #expect(!engine.calls.contains { $0.hasPrefix("apply") })

        var configuration = MigrationConfiguration(migrationsDirectory: dir.path)
        configuration.allowDangerous = true
        #expect(try await MigrationExecutor(configuration: configuration, engine: engine).migrateUp().count == 1)
    }

    @Test func strictTurnsWarningsIntoRefusals() async throws {
        let dir = try TestDirectory()
        try dir.migration("001", "first", up: "CREATE TABLE t (x INT, y INT);", down: "-- migrate:allow-dangerous\nDROP TABLE t;")
        try dir.migration("002", "second", up: "ALTER TABLE t DROP COLUMN y;", down: "ALTER TABLE t ADD COLUMN y INT;")
        var configuration = MigrationConfiguration(migrationsDirectory: dir.path)
        configuration.strict = true
        await #expect {
            try await MigrationExecutor(configuration: configuration, engine: FakeEngine()).migrateUp()
        } throws: { error in
            guard case .refused(let findings)? = error as? MigrationError else { return false }
            return findings.map(\.rule) == ["drop-column"]
        }
    }
}
