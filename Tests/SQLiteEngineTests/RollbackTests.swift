import Foundation
import MigrationEngine
import SchemaDiff
import Testing

@testable import SQLiteEngine

/// A failure anywhere leaves schema and rows exactly as before.
@Suite struct RollbackTests {
    let setup = """
        CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);
        CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, amount INTEGER);
        INSERT INTO users VALUES (1, 'a'), (2, NULL);
        INSERT INTO orders VALUES (1, 1, 10), (2, 99, 20);
        """

    @Test(arguments: [
        ("ALTER TABLE users ADD COLUMN x TEXT;\nINSERT INTO nowhere VALUES (1);", 2, "no such table: nowhere"),
        ("ALTER TABLE users ADD COLUMN x TEXT;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;", 2, "NOT NULL constraint failed: users.email"),
        (
            "ALTER TABLE users ADD COLUMN x TEXT;\nALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);", 2,
            "foreign key check failed (1 violation): orders row 2 references a missing row in users"
        ),
        ("CREATE INDEX i ON users (email);\nALTER TABLE users DROP CONSTRAINT nope;", 2, "constraint \"nope\" of table \"users\" does not exist"),
        (
            "UPDATE orders SET amount = 0;\nALTER TABLE orders ALTER COLUMN missing TYPE text;", 2,
            "column \"missing\" of table \"orders\" does not exist"
        ),
    ])
    func failedMigrationLeavesNoTrace(sql: String, line: Int, message: String) async throws {
        let db = try TestDatabase()
        try db.execute(setup)
        let engine = try db.engine()
        try await engine.prepareHistory()
        let schema = try db.schema()
        let users = try db.rows("SELECT * FROM users")
        let orders = try db.rows("SELECT * FROM orders")

        await #expect {
            try await engine.apply(try db.script(sql), history: .remove(version: 1)) { _ in }
        } throws: { error in
            guard case .statementFailed(let location, _, let text, _)? = error as? EngineError else { return false }
            return location.file == "001_test.up.sql" && location.line == line && text.contains(message)
        }
        #expect(try db.schema() == schema)
        #expect(try db.rows("SELECT * FROM users") == users)
        #expect(try db.rows("SELECT * FROM orders") == orders)
    }

    @Test func historyRowIsWrittenOnlyWithTheMigration() async throws {
        let db = try TestDatabase()
        let engine = try db.engine()
        try await engine.prepareHistory()
        let record = HistoryRecord(version: 7, description: "x", checksum: "abc", appliedAt: Date(), executionMilliseconds: 0, status: .applied)
        _ = try? await engine.apply(try db.script("CREATE TABLE a (x INT); SELECT * FROM nowhere;"), history: .record(record)) { _ in }
        #expect(try await engine.history().isEmpty)
        _ = try await engine.apply(try db.script("CREATE TABLE a (x INT)"), history: .record(record)) { _ in }
        #expect(try await engine.history().map(\.version) == [7])
        #expect(try await engine.history().first?.checksum == "abc")
    }

    @Test func dryRunRunsOnACopyAndTouchesNothing() async throws {
        let db = try TestDatabase()
        try db.execute(setup)
        let before = try Data(contentsOf: URL(fileURLWithPath: db.path))
        let engine = try db.engine(readOnly: true)
        let plans = try await engine.dryRun([try db.script("ALTER TABLE users ALTER COLUMN email TYPE varchar(10); DROP TABLE orders;")])
        #expect(plans[0].map(\.strategy) == [.rebuild, .native])
        #expect(try Data(contentsOf: URL(fileURLWithPath: db.path)) == before)
        #expect(try db.rows("SELECT count(*) FROM orders") == [["2"]])
    }

    @Test func dryRunReportsStatementsThatCannotRun() async throws {
        let db = try TestDatabase()
        try db.execute(setup)
        let engine = try db.engine(readOnly: true)
        await #expect(throws: EngineError.self) {
            try await engine.dryRun([try db.script("ALTER TABLE nope ADD COLUMN x int")])
        }
    }

    @Test func readOnlyEngineDoesNotCreateAMissingFile() async throws {
        let db = try TestDatabase()
        let engine = try db.engine(readOnly: true)
        #expect(try await engine.history().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: db.path))
    }

    @Test func syntaxErrorsInPassThroughStatementsAreFoundBeforeRunning() async throws {
        let db = try TestDatabase()
        let engine = try db.engine()
        await #expect {
            try await engine.validate(try db.script("CREATE TABLE a (x INT);\nINSERT INTO a VALUES (1;"))
        } throws: { error in
            guard case .unsupported(let location, let message)? = error as? EngineError else { return false }
            return location.line == 2 && message.contains("incomplete input")
        }
        // Unknown tables are not syntax errors: they fail when run, and are recorded.
        try await engine.validate(try db.script("INSERT INTO later VALUES (1)"))
    }
}

@Suite struct MigratorLockTests {
    @Test func secondMigratorTimesOut() async throws {
        let db = try TestDatabase()
        let first = try db.engine()
        let second = try db.engine()
        try await first.withMigratorLock(timeout: 1) {
            await #expect {
                try await second.withMigratorLock(timeout: 0.2) {}
            } throws: { error in
                guard case .lockTimeout(let seconds, let holder)? = error as? EngineError else { return false }
                return seconds == 0.2 && holder.contains("pid")
            }
        }
        // Released: the second one gets it now.
        try await second.withMigratorLock(timeout: 0.2) {}
    }
}
