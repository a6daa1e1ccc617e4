import Foundation
import Testing

/// What only PostgreSQL has: concurrent builds, NOT VALID constraints, lock_timeout,
/// the advisory lock, undoing committed steps after a failure or a crash.
@Suite struct PostgresTests {
    func prepared() throws -> EngineWorkspace {
        let db = try EngineWorkspace(.postgres)
        try db.execute(
            """
            CREATE TABLE users (id bigint PRIMARY KEY, email text, username text);
            CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, amount integer);
            INSERT INTO users SELECT i, 'u' || i || '@x', 'name' || (i % 50) FROM generate_series(1, 200) i;
            INSERT INTO orders SELECT i, 1 + i % 200, i FROM generate_series(1, 500) i;
            """)
        return db
    }

    static let everything = """
        SELECT (SELECT count(*) FROM users), (SELECT string_agg(username, ',' ORDER BY id) FROM users),
               (SELECT sum(amount) FROM orders), (SELECT count(*) FROM pg_index WHERE NOT indisvalid),
               (SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal)
        """

    @Test func failedConcurrentUniqueIndexLeavesNothingBehind() throws {
        let db = try prepared()
        let before = try db.rows(Self.everything)
        let schema = try db.inspect()
        try db.migration(
            "001", "unique_names",
            up: """
                ALTER TABLE users ADD COLUMN nick text;
                CREATE INDEX CONCURRENTLY idx_users_email ON users (email);
                CREATE UNIQUE INDEX CONCURRENTLY idx_users_username ON users (username);
                """, down: "DROP INDEX CONCURRENTLY idx_users_username; DROP INDEX CONCURRENTLY idx_users_email; ALTER TABLE users DROP COLUMN nick;")
        let up = try db.migrate("up")
        #expect(up.status == 1, "\(up.output)")
        #expect(up.stderr.contains("001_unique_names.up.sql:5:1"), "\(up.stderr)")
        #expect(up.stderr.contains("could not create unique index"), "\(up.stderr)")
        #expect(try db.rows(Self.everything) == before)
        #expect(try db.inspect() == schema)
        #expect(try db.rows("SELECT count(*) FROM pg_class WHERE relname LIKE 'idx_users_%'") == [["0"]])
        #expect(try db.rows("SELECT count(*) FROM _migrate_journal") == [["0"]])
        #expect(try db.rows("SELECT status FROM schema_migrations") == [["failed"]])
    }

    @Test func concurrentBuildsOnDifferentTablesRunTogetherAndFailTogether() throws {
        let db = try prepared()
        let before = try db.rows(Self.everything)
        try db.migration(
            "001", "indexes",
            up: """
                CREATE INDEX CONCURRENTLY idx_users_email ON users (email);
                CREATE INDEX CONCURRENTLY idx_orders_user ON orders (user_id);
                CREATE UNIQUE INDEX CONCURRENTLY idx_users_username ON users (username);
                """,
            down: "DROP INDEX CONCURRENTLY idx_users_username; DROP INDEX CONCURRENTLY idx_orders_user; DROP INDEX CONCURRENTLY idx_users_email;")
        // username has duplicates: the third build fails, the first two are undone.
        let failed = try db.migrate("up")
        #expect(failed.status == 1, "\(failed.output)")
        #expect(failed.stderr.contains("001_indexes.up.sql:5:1"), "\(failed.stderr)")
        #expect(try db.rows(Self.everything) == before)
        #expect(try db.rows("SELECT count(*) FROM pg_class WHERE relname LIKE 'idx_%'") == [["0"]])

        try db.execute("UPDATE users SET username = 'name' || id")
        let traced = try db.migrate("up", environment: ["MIGRATE_TRACE_SQL": "1"])
        #expect(traced.status == 0, "\(traced.output)")
        #expect(try db.rows("SELECT count(*) FROM pg_class WHERE relname LIKE 'idx_%'") == [["3"]])
        #expect(try db.rows("SELECT count(*) FROM pg_index WHERE NOT indisvalid") == [["0"]])
    }

    @Test func droppedColumnAndTableComeBackWhenALaterStepFails() throws {
        let db = try prepared()
        let before = try db.rows(Self.everything)
        let emails = try db.rows("SELECT md5(string_agg(email, ',' ORDER BY id)) FROM users")
        let schema = try db.inspect()
        try db.migration(
            "001", "drops",
            up: """
                ALTER TABLE users DROP COLUMN email;
                DROP TABLE orders;
                CREATE INDEX CONCURRENTLY idx_users_username ON users (username);
                INSERT INTO no_such_table VALUES (1);
                """, down: "SELECT 1;")
        let dryRun = try db.migrate("up", "--dry-run", "--allow-dangerous")
        #expect(dryRun.stdout.contains("RENAME COLUMN email TO _migrate_dropped_email"), "\(dryRun.stdout)")
        #expect(dryRun.stdout.contains("in the migration's last transaction"), "\(dryRun.stdout)")
        let up = try db.migrate("up", "--allow-dangerous")
        #expect(up.status == 1, "\(up.output)")
        #expect(!up.stderr.contains("cannot be undone"), "\(up.stderr)")
        #expect(try db.rows(Self.everything) == before)
        #expect(try db.rows("SELECT md5(string_agg(email, ',' ORDER BY id)) FROM users") == emails)
        #expect(try db.inspect() == schema)
    }

    @Test func aCommittedTruncateIsNamedWhenALaterStepFails() throws {
        let db = try prepared()
        try db.migration(
            "001", "truncate",
            up: """
                TRUNCATE orders;
                CREATE INDEX CONCURRENTLY idx_users_email ON users (email);
                INSERT INTO no_such_table VALUES (1);
                """, down: "SELECT 1;")
        let up = try db.migrate("up", "--allow-dangerous")
        #expect(up.status == 1, "\(up.output)")
        #expect(up.stderr.contains("rolled back except as said at the end"), "\(up.stderr)")
        #expect(up.stderr.contains("TRUNCATE orders"), "\(up.stderr)")
        #expect(try db.rows("SELECT count(*) FROM pg_class WHERE relname = 'idx_users_email'") == [["0"]])
    }

    @Test func dryRunShowsOnlineStrategiesAndLocksAndTouchesNothing() throws {
        let db = try prepared()
        try db.migration(
            "001", "online",
            up: """
                CREATE INDEX CONCURRENTLY idx_orders_user ON orders (user_id);
                ALTER TABLE orders ADD CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id);
                ALTER TABLE users ALTER COLUMN email SET NOT NULL;
                ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
                ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();
                """, down: "SELECT 1;")
        let schema = try db.inspect()
        let run = try db.migrate("up", "--dry-run", "--verbose")
        #expect(run.status == 0, "\(run.output)")
        for expected in [
            "CONCURRENTLY idx_orders_user", "NOT VALID", "VALIDATE CONSTRAINT fk_user", "users_email_not_null",
            "UNIQUE USING INDEX users_email_key", "SHARE UPDATE EXCLUSIVE", "outside any transaction", "repeated in short transactions",
        ] {
            #expect(run.stdout.contains(expected), "missing \(expected) in \(run.stdout)")
        }
        #expect(try db.inspect() == schema)
        #expect(try db.rows("SELECT count(*) FROM pg_class WHERE relname = 'schema_migrations'") == [["0"]])
    }

    @Test func onlineStrategiesApplyAndRevert() throws {
        let db = try prepared()
        let before = try db.rows(Self.everything)
        let schema = try db.inspect()
        try db.migration(
            "001", "online",
            up: """
                CREATE INDEX CONCURRENTLY idx_orders_user ON orders (user_id);
                ALTER TABLE orders ADD CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id);
                ALTER TABLE users ALTER COLUMN email SET NOT NULL;
                ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
                ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();
                ALTER TABLE users ALTER COLUMN username TYPE varchar(100);
                """,
            down: """
                ALTER TABLE users ALTER COLUMN username TYPE text;
                ALTER TABLE users DROP COLUMN token;
                ALTER TABLE users DROP CONSTRAINT users_email_key;
                ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
                ALTER TABLE orders DROP CONSTRAINT fk_user;
                DROP INDEX CONCURRENTLY idx_orders_user;
                """)
        let up = try db.migrate("up")
        #expect(up.status == 0, "\(up.output)")
        #expect(try db.rows("SELECT count(*), count(DISTINCT token) FROM users") == [["200", "200"]])
        #expect(try db.rows("SELECT convalidated::text FROM pg_constraint WHERE conname = 'fk_user'") == [["true"]])
        #expect(try db.rows("SELECT count(*) FROM pg_constraint WHERE conname LIKE '%not_null'") == [["0"]])
        let applied = try db.inspect()
        #expect(applied.contains("email: text not null"), "\(applied)")
        #expect(applied.contains("username: varchar(100)"), "\(applied)")
        let down = try db.migrate("down")
        #expect(down.status == 0, "\(down.output)")
        #expect(try db.rows(Self.everything) == before)
        #expect(try db.inspect() == schema)
    }

    @Test func lockTimeoutGivesUpCleanlyAndRetriesSucceed() throws {
        let db = try prepared()
        try db.migration(
            "001", "add", up: "ALTER TABLE users ADD COLUMN status text DEFAULT 'active';",
            down: "ALTER TABLE users DROP COLUMN status;")
        // A long transaction reading users: ADD COLUMN must wait for it, and must not queue everyone behind it.
        let holder = try holdLock(db, seconds: 4)
        Thread.sleep(forTimeInterval: 0.5)
        let started = Date()
        let blocked = try db.migrate("up", "--lock-timeout", "1")
        #expect(blocked.status == 1, "\(blocked.output)")
        #expect(blocked.stderr.contains("lock timeout"), "\(blocked.stderr)")
        #expect(blocked.stderr.contains("hint: raise --lock-timeout to wait longer"), "\(blocked.stderr)")
        #expect(Date().timeIntervalSince(started) < 3.5)
        #expect(!(try db.inspect()).contains("status"))
        // With a budget longer than the holder, the retries get through.
        let patient = try db.migrate("up", "--lock-timeout", "20")
        #expect(patient.status == 0, "\(patient.output)")
        holder.process.waitUntilExit()
        #expect(try db.rows("SELECT DISTINCT status FROM users") == [["active"]])
    }

    @Test func twoUpsAtOnceOneAppliesTheOtherWaitsThenReports() throws {
        let db = try prepared()
        try db.migration("001", "slow", up: "SELECT pg_sleep(1.5); ALTER TABLE users ADD COLUMN a int;", down: "ALTER TABLE users DROP COLUMN a;")
        let first = try db.start(["up", "--lock-timeout", "30"])
        Thread.sleep(forTimeInterval: 0.3)
        let second = try db.start(["up", "--lock-timeout", "30"])
        let results = [first.wait(), second.wait()]
        #expect(results.map(\.status) == [0, 0], "\(results.map(\.output))")
        let applied = results.map { $0.stdout.components(separatedBy: " - ").count - 1 }
        #expect(applied == [1, 0], "\(results.map(\.stdout))")
        #expect(try db.rows("SELECT version, status FROM schema_migrations") == [["1", "applied"]])
    }

    @Test func killedMidMigrationIsUndoneByTheNextRun() throws {
        let db = try prepared()
        let before = try db.rows(Self.everything)
        try db.migration(
            "001", "interrupted",
            up: """
                ALTER TABLE users ADD COLUMN status text;
                CREATE INDEX CONCURRENTLY idx_users_email ON users (email);
                SELECT pg_sleep(30);
                """, down: "DROP INDEX CONCURRENTLY idx_users_email; ALTER TABLE users DROP COLUMN status;")
        let run = try db.start(["up"])
        var waited = 0.0
        while try db.rows("SELECT count(*) FROM pg_class WHERE relname = 'idx_users_email'") == [["0"]], waited < 20 {
            Thread.sleep(forTimeInterval: 0.1)
            waited += 0.1
        }
        Thread.sleep(forTimeInterval: 0.3)
        kill(run.process.processIdentifier, SIGKILL)
        _ = run.wait()
        let status = try db.migrate("status")
        #expect(status.output.contains("interrupted") || status.output.contains("001"), "\(status.output)")
        try db.ws.write(
            "migrations/001_interrupted.up.sql",
            "ALTER TABLE users ADD COLUMN status text;\nCREATE INDEX CONCURRENTLY idx_users_email ON users (email);\n")
        let up = try db.migrate("up")
        #expect(up.status == 0, "\(up.output)")
        #expect(up.output.contains("interrupted"), "\(up.output)")
        #expect(try db.rows(Self.everything) == before)
        #expect(try db.rows("SELECT count(*) FROM _migrate_journal") == [["0"]])
        #expect(try db.inspect().contains("idx_users_email"))
    }

    @Test func badURLIsExitTwoAndAnUnreachableServerNeverShowsThePassword() throws {
        let ws = try Workspace()
        let bad = try ws.migrate("status", "--database", "postgres://me:s3cret@localhost:notaport/db")
        #expect(bad.status == 2, "\(bad.output)")
        #expect(bad.stderr.contains("expected a port number"))
        #expect(!bad.output.contains("s3cret"))
        let unreachable = try ws.migrate("up", "--database", "postgres://me:s3cret@127.0.0.1:1/db?connect_timeout=2")
        #expect(unreachable.status == 1, "\(unreachable.output)")
        #expect(unreachable.stderr.contains("cannot connect"), "\(unreachable.stderr)")
        #expect(!unreachable.output.contains("s3cret"))
    }

    /// A psql session holding ACCESS SHARE on users for `seconds`.
    func holdLock(_ db: EngineWorkspace, seconds: Double) throws -> RunningProcess {
        try db.ws.start(
            ["-X", "-q", "-d", db.url, "-c", "BEGIN; SELECT count(*) FROM users; SELECT pg_sleep(\(seconds)); COMMIT;"],
            executable: PostgresTestServer.psqlBinary)
    }
}

/// ALTER COLUMN TYPE that would rewrite the table, done as expand/contract.
@Suite struct PostgresExpandContractTests {
    func prepared() throws -> EngineWorkspace {
        let db = try EngineWorkspace(.postgres)
        try db.ws.write("migrate.yaml", "online_min_rows: 1\n")
        try db.execute(
            """
            CREATE TABLE orders (id bigint PRIMARY KEY, amount integer NOT NULL DEFAULT 0, hits integer NOT NULL DEFAULT 0, note text);
            CREATE INDEX idx_orders_amount ON orders (amount);
            INSERT INTO orders (id, amount, note) SELECT i, i % 1000, 'n' || i FROM generate_series(1, 20000) i;
            """)
        try db.migration(
            "001", "widen", up: "ALTER TABLE orders ALTER COLUMN amount TYPE bigint USING amount::bigint CONCURRENTLY;",
            down: "ALTER TABLE orders ALTER COLUMN amount TYPE integer USING amount::integer CONCURRENTLY;")
        return db
    }

    static let digest =
        "SELECT count(*), md5(string_agg(id || ':' || amount || ':' || hits || ':' || coalesce(note, ''), ',' ORDER BY id)) FROM orders"
    static let leftovers = """
        SELECT (SELECT count(*) FROM pg_attribute WHERE attname LIKE '\\_migrate%' AND NOT attisdropped AND attrelid = 'orders'::regclass)
             + (SELECT count(*) FROM pg_proc WHERE proname LIKE '\\_migrate%')
             + (SELECT count(*) FROM pg_trigger WHERE tgname LIKE '\\_migrate%')
             + (SELECT count(*) FROM pg_class WHERE relname LIKE '\\_migrate\\_idx%')
             + (SELECT count(*) FROM pg_constraint WHERE conname LIKE '\\_migrate\\_nn%')
             + (SELECT count(*) FROM pg_index WHERE NOT indisvalid)
        """

    @Test(arguments: ["after-expand", "mid-backfill", "before-swap", "swap"])
    func aFaultAtAnyStepLeavesTheTableExactlyAsBefore(point: String) throws {
        let db = try prepared()
        let rows = try db.rows(Self.digest)
        let schema = try db.inspect()
        let up = try db.migrate("up", environment: ["MIGRATE_FAULT": point])
        #expect(up.status == 1, "\(point): \(up.output)")
        #expect(up.stderr.contains("injected fault at \(point)"), "\(up.stderr)")
        #expect(try db.rows(Self.digest) == rows, "\(point)")
        #expect(try db.inspect() == schema, "\(point)")
        #expect(try db.rows(Self.leftovers) == [["0"]], "\(point)")
        #expect(try db.rows("SELECT count(*) FROM _migrate_journal") == [["0"]])

        let retry = try db.migrate("up")
        #expect(retry.status == 0, "\(point): \(retry.output)")
        #expect(try db.rows(Self.digest) == rows)
        #expect(
            try db.rows("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'amount'") == [
                ["bigint"]
            ])
        #expect(try db.rows(Self.leftovers) == [["0"]])
    }

    @Test func writersKeepWritingAndNoWriteIsLost() throws {
        let db = try prepared()
        let dryRun = try db.migrate("up", "--dry-run")
        #expect(dryRun.stdout.contains("[online]"), "\(dryRun.stdout)")
        // Each writer transaction bumps amount and hits of one row together, or inserts a row:
        // afterwards amount - id % 1000 must equal hits on every row.
        try db.ws.write(
            "writer.sql",
            """
            \\set id random(1, 20000)
            \\set fresh random(20001, 10000000)
            UPDATE orders SET amount = amount + 1, hits = hits + 1 WHERE id = :id;
            INSERT INTO orders (id, amount, note) VALUES (:fresh, :fresh % 1000, 'w') ON CONFLICT DO NOTHING;
            """)
        let pgbench = URL(fileURLWithPath: PostgresTestServer.psqlBinary).deletingLastPathComponent().appendingPathComponent("pgbench").path
        // The writers run until the migration has ended, however long either takes, and are
        // stopped then (-t, not -T: pgbench's -T relies on SIGALRM, which a child of the test
        // runner may have blocked).
        let writers = try db.ws.start(["-n", "-c", "2", "-t", "100000000", "-f", "writer.sql", db.url], executable: pgbench)
        let hits = "SELECT coalesce(sum(hits), 0) FROM orders"
        let waitedSince = Date()
        while try db.rows(hits) == [["0"]], Date().timeIntervalSince(waitedSince) < 60 { Thread.sleep(forTimeInterval: 0.05) }
        let hitsBefore = Int(try db.rows(hits).first?.first ?? "") ?? 0
        let up = try db.migrate("up")
        let hitsAfter = Int(try db.rows(hits).first?.first ?? "") ?? 0
        let stillWriting = writers.process.isRunning
        // SIGKILL: the test runner's children may have SIGTERM blocked, as SIGALRM.
        if writers.process.isRunning { kill(writers.process.processIdentifier, SIGKILL) }
        let load = writers.wait()
        #expect(up.status == 0, "\(up.output)")
        #expect(stillWriting, "a writer stopped during the migration: \(load.output)")
        #expect(!load.stderr.contains("aborted") && !load.stderr.contains("ERROR"), "\(load.stderr)")
        #expect(hitsBefore > 0 && hitsAfter > hitsBefore, "writers committed \(hitsBefore) updates before and \(hitsAfter) by the end")
        #expect(try db.rows("SELECT count(*) FROM orders WHERE amount - id % 1000 <> hits") == [["0"]])
        #expect(try db.rows(Self.leftovers) == [["0"]])
        #expect(
            try db.rows(
                "SELECT format_type(atttypid, atttypmod), attnotnull FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'amount'")
                == [["bigint", "t"]])
        #expect(try db.inspect().contains("idx_orders_amount"))
    }
}
