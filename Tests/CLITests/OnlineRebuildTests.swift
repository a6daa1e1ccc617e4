import Foundation
import Testing

/// Online rebuilds through the CLI: faults at every step, kills at random moments.
@Suite struct OnlineRebuildTests {
    static let setup = """
        CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT, n INTEGER, junk TEXT);
        CREATE INDEX idx_users_email ON users (email);
        CREATE TABLE log (user_id INTEGER);
        CREATE TRIGGER users_log AFTER INSERT ON users BEGIN INSERT INTO log VALUES (NEW.id); END;
        CREATE VIEW user_emails AS SELECT id, email FROM users;
        WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 20000)
        INSERT INTO users (email, n, junk) SELECT 'user' || i || '@x', i, 'j' FROM r;
        DELETE FROM users WHERE id > 19990;
        """

    static let up = """
        ALTER TABLE users ALTER COLUMN n TYPE BIGINT USING n::BIGINT;
        CREATE INDEX CONCURRENTLY idx_users_n ON users(n);
        ALTER TABLE users DROP COLUMN junk;
        """
    static let down = """
        ALTER TABLE users ADD COLUMN junk TEXT;
        DROP INDEX idx_users_n;
        ALTER TABLE users ALTER COLUMN n TYPE INTEGER;
        """

    /// Small tables go online in these tests; short batches make the copy last a while.
    static let online = ["MIGRATE_ONLINE_MIN_ROWS": "0", "MIGRATE_BATCH_MS": "1"]

    func prepared() throws -> Workspace {
        let ws = try Workspace()
        try ws.execute(Self.setup)
        try ws.migration("001", "reshape_users", up: Self.up, down: Self.down)
        return ws
    }

    /// Everything a user could see: the schema and a digest of every row.
    func snapshot(_ ws: Workspace) throws -> [[String]] {
        try ws.userSchema().filter { $0[1] != "sqlite_sequence" }
            + ws.rows("SELECT count(*), sum(id), sum(n), group_concat(email, ',') FROM (SELECT * FROM users ORDER BY id)")
            + ws.rows("SELECT seq FROM sqlite_sequence WHERE name = 'users'")
    }

    @Test func onlineRebuildKeepsEverything() throws {
        let ws = try prepared()
        let run = try ws.migrate("up", "--verbose", environment: Self.online)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.stdout.contains("[online] line 3"))
        #expect(run.stdout.contains("progress: 001 users copy"))
        #expect(try ws.rows("SELECT type FROM pragma_table_info('users') WHERE name = 'n'") == [["BIGINT"]])
        #expect(try ws.rows("SELECT count(*) FROM pragma_table_info('users') WHERE name = 'junk'") == [["0"]])
        #expect(
            try ws.rows("SELECT name FROM sqlite_schema WHERE type IN ('index', 'trigger', 'view') ORDER BY name")
                == [["idx_users_email"], ["idx_users_n"], ["user_emails"], ["users_log"]])
        #expect(try ws.rows("SELECT count(*), sum(n) FROM users") == [["19990", "199810045"]])
        #expect(try ws.rows("SELECT count(*) FROM sqlite_schema WHERE name LIKE '_migrate_%'") == [["0"]])
        #expect(try ws.rows("PRAGMA integrity_check") == [["ok"]])
        try ws.execute("INSERT INTO users (email, n) VALUES ('new@x', 1)")
        #expect(try ws.rows("SELECT max(id) FROM users") == [["20001"]])
        #expect(try ws.rows("SELECT count(*) FROM log") == [["20001"]])
        #expect(try ws.rows("EXPLAIN QUERY PLAN SELECT * FROM users WHERE n = 5")[0].last?.contains("idx_users_n") == true)
    }

    @Test(arguments: ["after-shadow", "mid-copy", "before-cutover", "cutover"])
    func faultBeforeCommitLeavesTheDatabaseExactlyAsItWas(point: String) throws {
        let ws = try prepared()
        let before = try snapshot(ws)
        let run = try ws.migrate("up", environment: Self.online.merging(["MIGRATE_FAULT": point]) { $1 })
        #expect(run.status == 1, "\(run.output)")
        #expect(run.stderr.contains("injected fault at \(point)"))
        #expect(run.stderr.contains("rolled back"))
        #expect(try snapshot(ws) == before)
        #expect(try ws.rows("SELECT version, status FROM schema_migrations") == [["1", "failed"]])
        // Nothing left behind, and the next run applies it.
        #expect(try ws.migrate("up", environment: Self.online).status == 0)
        #expect(try ws.rows("SELECT count(*), sum(n) FROM users") == [["19990", "199810045"]])
    }

    @Test func faultDuringCleanupKeepsTheMigrationAndFinishesLater() throws {
        let ws = try prepared()
        let run = try ws.migrate("up", environment: Self.online.merging(["MIGRATE_FAULT": "cleanup"]) { $1 })
        #expect(run.status == 0, "\(run.output)")
        #expect(try ws.rows("SELECT count(*) FROM sqlite_schema WHERE name = '_migrate_old_users'") == [["1"]])
        #expect(try ws.rows("SELECT count(*), sum(n) FROM users") == [["19990", "199810045"]])
        let status = try ws.migrate("status")
        #expect(status.stdout.contains("interrupted"), "\(status.stdout)")
        try ws.migration("002", "noop", up: "SELECT 1;", down: "SELECT 1;")
        let next = try ws.migrate("up", environment: Self.online)
        #expect(next.status == 0, "\(next.output)")
        #expect(next.stdout.contains("Recovered: finished deleting the old copy of users"))
        #expect(try ws.rows("SELECT count(*) FROM sqlite_schema WHERE name LIKE '_migrate_%'") == [["0"]])
    }

    /// A kill in each phase (copy, cut-over, cleanup): the next `up` leaves exactly what a
    /// run that was never killed leaves.
    @Test(arguments: ["after-shadow", "mid-copy", "before-cutover", "cutover", "cleanup"])
    func killedInEachPhaseThenUpLeavesExactlyTheResult(point: String) throws {
        let reference = try prepared()
        #expect(try reference.migrate("up", environment: Self.online).status == 0)
        let expected = try snapshot(reference)

        let ws = try prepared()
        let killed = try ws.migrate("up", environment: Self.online.merging(["MIGRATE_KILL": point]) { $1 })
        #expect(killed.status != 0, "\(point): \(killed.output)")
        #expect(try ws.rows("PRAGMA integrity_check") == [["ok"]])
        let next = try ws.migrate("up", environment: Self.online)
        #expect(next.status == 0, "\(point): \(next.output)")
        #expect(try snapshot(ws) == expected, "\(point)")
        #expect(try ws.rows("SELECT count(*) FROM sqlite_schema WHERE name LIKE '_migrate_%'") == [["0"]], "\(point)")
        #expect(try ws.rows("SELECT version, status FROM schema_migrations") == [["1", "applied"]], "\(point)")
    }

    @Test func statusTellsARebuildInProgressFromAnInterruptedOne() throws {
        let ws = try prepared()
        let go = ws.path + "/go"
        let running = try ws.start(["up"], environment: Self.online.merging(["MIGRATE_WAIT": "mid-copy:" + go]) { $1 })
        defer {
            FileManager.default.createFile(atPath: go, contents: nil)
            _ = running.wait()
        }
        let waitedSince = Date()
        var status = try ws.migrate("status")
        while !status.stdout.contains("Online rebuild of users"), Date().timeIntervalSince(waitedSince) < 60 {
            Thread.sleep(forTimeInterval: 0.05)
            status = try ws.migrate("status")
        }
        #expect(status.stdout.contains("is running now (pid \(running.process.processIdentifier)"), "\(status.stdout)")
        #expect(!status.stdout.contains("interrupted"), "\(status.stdout)")
        FileManager.default.createFile(atPath: go, contents: nil)
        #expect(running.wait().status == 0)
        #expect(try ws.rows("SELECT status FROM schema_migrations") == [["applied"]])

        // Killed, it is interrupted.
        #expect(try ws.migrate("down", environment: Self.online).status == 0)
        #expect(try ws.migrate("up", environment: Self.online.merging(["MIGRATE_KILL": "mid-copy"]) { $1 }).status != 0)
        let after = try ws.migrate("status")
        #expect(after.stdout.contains("was interrupted during copy"), "\(after.stdout)")
    }

    @Test func killDuringCleanupIsFinishedByThePlainNextUp() throws {
        let ws = try prepared()
        let killed = try ws.migrate("up", environment: Self.online.merging(["MIGRATE_KILL": "cleanup"]) { $1 })
        #expect(killed.status != 0, "\(killed.output)")
        #expect(try ws.rows("SELECT count(*) FROM sqlite_schema WHERE name = '_migrate_old_users'") == [["1"]])
        let after = try snapshot(ws).filter { !($0.count > 1 && $0[1].hasPrefix("_migrate_")) }
        // No migration is pending: the next `up` still finishes the cleanup.
        let next = try ws.migrate("up", environment: Self.online)
        #expect(next.status == 0, "\(next.output)")
        #expect(next.stdout.contains("Recovered: finished deleting the old copy of users"), "\(next.stdout)")
        #expect(try ws.rows("SELECT count(*) FROM sqlite_schema WHERE name LIKE '_migrate_%'") == [["0"]])
        #expect(try snapshot(ws) == after)
        #expect(try ws.rows("SELECT version, status FROM schema_migrations") == [["1", "applied"]])
        #expect(try ws.rows("PRAGMA integrity_check") == [["ok"]])
    }

    @Test func uniqueIndexOverDuplicatesFailsBeforeCutOver() throws {
        let ws = try Workspace()
        try ws.execute(Self.setup)
        try ws.execute("UPDATE users SET email = 'dup@x' WHERE id IN (5, 6)")
        try ws.migration(
            "001", "unique_email", up: "CREATE UNIQUE INDEX CONCURRENTLY idx_users_email_key ON users(email);",
            down: "DROP INDEX idx_users_email_key;")
        let before = try snapshot(ws)
        let run = try ws.migrate("up", environment: Self.online)
        #expect(run.status == 1)
        #expect(run.stderr.contains("UNIQUE constraint failed"), "\(run.stderr)")
        #expect(try snapshot(ws) == before)
    }

    /// The copy skips rows the triggers mirrored by their rowid only; every other
    /// constraint of the new table still stops the rebuild with nothing changed.
    @Test(arguments: [
        ("ALTER TABLE users ALTER COLUMN n SET NOT NULL;", "ALTER TABLE users ALTER COLUMN n DROP NOT NULL;", "NOT NULL constraint failed"),
        ("ALTER TABLE users ADD CONSTRAINT n_small CHECK (n < 15000);", "ALTER TABLE users DROP CONSTRAINT n_small;", "CHECK constraint failed"),
    ])
    func violatedConstraintFailsTheCopyAndChangesNothing(up: String, down: String, message: String) throws {
        let ws = try Workspace()
        try ws.execute(Self.setup)
        try ws.execute("UPDATE users SET n = NULL WHERE id = 19000")
        try ws.migration("001", "constrain_n", up: up, down: down)
        let before = try snapshot(ws)
        let run = try ws.migrate("up", environment: Self.online)
        #expect(run.status == 1)
        #expect(run.stderr.contains(message), "\(run.stderr)")
        #expect(try snapshot(ws) == before)
    }

    @Test func killedAtRandomMomentsThenUpCompletesAndNothingIsLost() throws {
        let ws = try prepared()
        let expectedRows = try ws.rows("SELECT count(*), sum(id), sum(n), group_concat(email, ',') FROM (SELECT * FROM users ORDER BY id)")
        // Kill moments spread over the run's own duration, measured once here (a fixed
        // schedule missed the run when the machine was fast or busy).
        let timed = Date()
        #expect(try ws.migrate("up", environment: Self.online).status == 0)
        let duration = Date().timeIntervalSince(timed)
        #expect(try ws.migrate("down", environment: Self.online).status == 0)
        var kills = 0
        for attempt in 0..<24 {
            let process = try ws.start(["up"], environment: Self.online)
            Thread.sleep(forTimeInterval: (Double(attempt % 12) + 0.5) / 12 * duration * 0.9)
            if process.process.isRunning {
                kill(process.process.processIdentifier, SIGKILL)
                kills += 1
            }
            _ = process.wait()
            #expect(try ws.rows("PRAGMA integrity_check") == [["ok"]])
            let applied =
                try ws.rows("SELECT count(*) FROM sqlite_schema WHERE name = 'schema_migrations'") == [["1"]]
                && ws.rows("SELECT count(*) FROM schema_migrations WHERE status = 'applied'") == [["1"]]
            if applied {
                let down = try ws.migrate("down", environment: Self.online)
                #expect(down.status == 0, "\(down.output)")
            }
        }
        // How many runs a kill caught depends on the machine's speed; the kills in each
        // phase are made certain by killedInEachPhaseThenUpLeavesExactlyTheResult.
        #expect(kills >= 1)
        let finish = try ws.migrate("up", environment: Self.online)
        #expect(finish.status == 0, "\(finish.output)")
        #expect(try ws.rows("SELECT count(*), sum(id), sum(n), group_concat(email, ',') FROM (SELECT * FROM users ORDER BY id)") == expectedRows)
        #expect(try ws.rows("SELECT count(*) FROM sqlite_schema WHERE name LIKE '_migrate_%'") == [["0"]])
        #expect(try ws.rows("SELECT type FROM pragma_table_info('users') WHERE name = 'n'") == [["BIGINT"]])
    }

    @Test func lockTimeoutDuringARebuildGivesUpCleanly() throws {
        let ws = try prepared()
        let before = try snapshot(ws)
        // An application transaction that holds the write lock for a few seconds.
        let holder = try ws.start(
            [
                "-c",
                "printf 'BEGIN IMMEDIATE;\\nUPDATE users SET n = n WHERE id = 1;\\nSELECT 1 FROM (WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 20000000) SELECT count(*) FROM r);\\nCOMMIT;\\n' | sqlite3 app.db",
            ], executable: "/bin/sh")
        Thread.sleep(forTimeInterval: 0.3)
        let run = try ws.migrate("up", "--lock-timeout", "0.5", environment: Self.online)
        _ = holder.wait()
        #expect(run.status == 1, "\(run.output)")
        #expect(run.stderr.contains("locked"), "\(run.stderr)")
        #expect(try snapshot(ws) == before)
        #expect(try ws.migrate("up", environment: Self.online).status == 0)
    }
}

extension OnlineRebuildTests {
    @Test func notEnoughDiskSpaceRefusesWithTheNumbers() throws {
        let ws = try prepared()
        let before = try snapshot(ws)
        var environment = Self.online
        environment["MIGRATE_FREE_BYTES"] = "1000"
        let run = try ws.migrate("up", environment: environment)
        #expect(run.status == 1)
        #expect(run.stderr.contains("not enough disk space for the online rebuild of users: it needs about "), "\(run.stderr)")
        #expect(run.stderr.contains("migrations/001_reshape_users.up.sql: not enough disk space"))
        #expect(run.stderr.contains("and 1000 bytes is free; nothing was changed"))
        #expect(try snapshot(ws) == before)
        // Refused before anything ran: not even a Failed history row.
        #expect(try ws.rows("SELECT count(*) FROM sqlite_schema WHERE name = 'schema_migrations'") == [["0"]])
        environment["MIGRATE_FREE_BYTES"] = "100000000000"
        #expect(try ws.migrate("up", environment: environment).status == 0)
    }
}
