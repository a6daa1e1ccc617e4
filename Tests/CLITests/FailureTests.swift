import Foundation
import Testing

/// What a user sees when things go wrong: exit codes, places, and an untouched database.
@Suite struct FailureTests {
    func prepared() throws -> Workspace {
        let ws = try Workspace()
        try ws.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO users (email) VALUES ('a'), ('b');")
        return ws
    }

    @Test func secondStatementFailingLeavesOnlyAFailedHistoryRow() throws {
        let ws = try prepared()
        try ws.migration("001", "first", up: "CREATE TABLE t (x INT);", down: "DROP TABLE t;")
        #expect(try ws.migrate("up").status == 0)
        let schema = try ws.userSchema()
        try ws.migration(
            "002", "broken", up: "ALTER TABLE users ADD COLUMN nickname TEXT;\nUPDATE users SET nope = 1 WHERE id > 0;",
            down: "ALTER TABLE users DROP COLUMN nickname;")

        let run = try ws.migrate("up")
        #expect(run.status == 1)
        #expect(run.stderr.contains("migrations/002_broken.up.sql:4:1: no such column: nope"), "\(run.stderr)")
        #expect(run.stderr.contains("UPDATE users SET nope = 1"))
        #expect(run.stderr.contains("rolled back"))
        #expect(try ws.userSchema() == schema)
        #expect(try ws.rows("SELECT email FROM users ORDER BY id") == [["a"], ["b"]])
        #expect(try ws.rows("SELECT version, status FROM schema_migrations ORDER BY version") == [["1", "applied"], ["2", "failed"]])
        #expect(try ws.rows("SELECT error FROM schema_migrations WHERE version = 2")[0][0].contains("002_broken.up.sql:4:1"))
        #expect(try ws.migrate("status").stdout.range(of: #"002\s+\| Failed"#, options: .regularExpression) != nil)
    }

    @Test func syntaxErrorIsExitTwoWithPlaceAndTouchesNothing() throws {
        let ws = try prepared()
        try ws.migration("001", "bad", up: "CREATE TABLE t (x INT);\nALTER TABLE users ALTER COLUMN email TYPE;", down: "DROP TABLE t;")
        let before = ws.fileData("app.db")
        let run = try ws.migrate("up")
        #expect(run.status == 2)
        #expect(run.stderr.contains("migrations/001_bad.up.sql:4:42: expected column type, found end of statement"), "\(run.stderr)")
        #expect(ws.fileData("app.db") == before)
        #expect(!FileManager.default.fileExists(atPath: ws.path + "/app.db.migrate-lock"))
    }

    @Test func syntaxErrorWithoutADatabaseCreatesNone() throws {
        let ws = try Workspace()
        try ws.migration("001", "bad", up: "INSERT INTO t VALUES (1,;", down: "SELECT 1;")
        let run = try ws.migrate("up")
        #expect(run.status == 2)
        #expect(run.stderr.contains("migrations/001_bad.up.sql:3:"))
        #expect(!FileManager.default.fileExists(atPath: ws.databasePath))
    }

    @Test func modifiedAppliedFileBlocksUp() throws {
        let ws = try prepared()
        try ws.migration("001", "first", up: "CREATE TABLE t (x INT);", down: "DROP TABLE t;")
        #expect(try ws.migrate("up").status == 0)
        try ws.migration("001", "first", up: "CREATE TABLE t (x INT, y INT);", down: "DROP TABLE t;")
        try ws.migration("002", "second", up: "CREATE TABLE u (x INT);", down: "DROP TABLE u;")
        let run = try ws.migrate("up")
        #expect(run.status == 1)
        #expect(run.stderr.contains("001 changed since applied"))
        #expect(try ws.migrate("status").stdout.range(of: #"001\s+\| Modified"#, options: .regularExpression) != nil)
        #expect(try ws.rows("SELECT count(*) FROM sqlite_schema WHERE name = 'u'") == [["0"]])
    }

    @Test func dryRunTouchesNothingAndShowsStrategies() throws {
        let ws = try prepared()
        try ws.migration(
            "001", "change", up: "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\nCREATE INDEX CONCURRENTLY i ON users (email);",
            down: "DROP INDEX i;")
        let before = ws.fileData("app.db")
        let run = try ws.migrate("up", "--dry-run")
        #expect(run.status == 0, "\(run.output)")
        #expect(run.stdout.contains("[rebuild] line 3"))
        #expect(run.stdout.contains("[native] line 4"))
        #expect(run.stdout.contains("CREATE INDEX i ON users (email)"))
        #expect(run.stdout.contains("lock: "))
        #expect(ws.fileData("app.db") == before)
        #expect(try ws.migrate("status").stdout.contains("Pending"))
    }

    @Test(arguments: [
        ["up", "--bogus"],
        ["down", "--count", "0"],
        ["up", "--database", "mysql://x"],
        ["status", "--format", "xml"],
        ["frobnicate"],
        ["up", "--dir", "no-such-dir"],
    ])
    func usageErrorsExitTwo(arguments: [String]) throws {
        let ws = try Workspace()
        let run = try ws.start(arguments).wait()
        #expect(run.status == 2, "\(run.output)")
        #expect(run.stderr.hasPrefix("error: "))
    }
}

/// Two deployers at once: the migrator lock keeps them apart.
@Suite struct ConcurrencyTests {
    @Test func twoUpsAtOnceApplyEachMigrationOnce() throws {
        let ws = try Workspace()
        // A migration long enough for the two runs to overlap.
        try ws.migration(
            "001", "fill",
            up: """
                CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT);
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) INSERT INTO big (v) SELECT hex(i) FROM n;
                """, down: "DROP TABLE big;")
        try ws.migration("002", "index", up: "CREATE INDEX big_v ON big (v);", down: "DROP INDEX big_v;")
        let first = try ws.start(["up", "--lock-timeout", "60"])
        let second = try ws.start(["up", "--lock-timeout", "60"])
        let results = [first.wait(), second.wait()]
        #expect(results.map(\.status) == [0, 0], "\(results.map(\.output))")
        let applied = results.map { $0.stdout.components(separatedBy: " - ").count - 1 }
        #expect(applied.sorted() == [0, 2], "\(results.map(\.stdout))")
        #expect(try ws.rows("SELECT version, status FROM schema_migrations") == [["1", "applied"], ["2", "applied"]])
        #expect(try ws.rows("SELECT count(*) FROM big") == [["300000"]])
    }

    @Test func secondUpGivesUpAfterTheLockTimeout() throws {
        let ws = try Workspace()
        try ws.migration("001", "t", up: "CREATE TABLE t (x INT);", down: "DROP TABLE t;")
        try ws.execute("SELECT 1")
        // Hold the migrator lock as another `migrate up` would.
        let holder = try ws.start(["-c", "exec 9>app.db.migrate-lock; flock 9; echo 'pid 4242' >&9; sleep 3"], executable: "/bin/sh")
        Thread.sleep(forTimeInterval: 0.5)
        let run = try ws.migrate("up", "--lock-timeout", "0.5")
        #expect(run.status == 1, "\(run.output)")
        #expect(run.stderr.contains("another migration is running"))
        #expect(run.stderr.contains("0.5s"))
        #expect(run.stderr.contains("hint: raise --lock-timeout to wait longer"), "\(run.stderr)")
        #expect(try ws.rows("SELECT count(*) FROM sqlite_schema WHERE name = 't'") == [["0"]])
        _ = holder.wait()
        #expect(try ws.migrate("up", "--lock-timeout", "5").status == 0)
    }
}
