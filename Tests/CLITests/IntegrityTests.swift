import Foundation
import GRDB
import Testing

/// A migration changes exactly what it says (issue 13): each test runs the built binary
/// and compares the exact state (schema, every row, rowids) before and after.
@Suite struct IntegrityTests {
    // MARK: PostgreSQL: the tool's own writes fire no application trigger

    static let filmWithTriggers = """
        CREATE TABLE film (id bigint PRIMARY KEY, length smallint NOT NULL, last_update timestamptz NOT NULL DEFAULT '2020-01-01');
        CREATE TABLE film_audit (film_id bigint, at timestamptz DEFAULT now());
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.last_update := now(); RETURN NEW; END $$;
        CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO film_audit (film_id) VALUES (NEW.id); RETURN NULL; END $$;
        CREATE TRIGGER film_last_update BEFORE UPDATE ON film FOR EACH ROW EXECUTE FUNCTION touch();
        CREATE TRIGGER film_audit_row AFTER UPDATE ON film FOR EACH ROW EXECUTE FUNCTION audit();
        CREATE INDEX idx_film_length ON film (length);
        INSERT INTO film (id, length) SELECT i, (i % 200)::smallint FROM generate_series(1, 300) i;
        """

    static let filmRows = "SELECT id, length, last_update FROM film ORDER BY id"

    @Test func expandContractFiresNoApplicationTrigger() throws {
        let db = try EngineWorkspace(.postgres)
        try db.execute(Self.filmWithTriggers)
        let before = try db.rows(Self.filmRows)
        try db.migration(
            "001", "widen_length",
            up: "ALTER TABLE film ALTER COLUMN length TYPE integer CONCURRENTLY;",
            down: "ALTER TABLE film ALTER COLUMN length TYPE smallint CONCURRENTLY;")
        let online = ["MIGRATE_ONLINE_MIN_ROWS": "10"]
        let up = try db.migrate("up", environment: online)
        #expect(up.status == 0, "\(up.output)")
        #expect(
            try db.rows("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'film'::regclass AND attname = 'length'") == [
                ["integer"]
            ])
        #expect(try db.rows(Self.filmRows) == before)
        #expect(try db.rows("SELECT count(*) FROM film_audit") == [["0"]])
        // The rebuilt index's key has the column's name, not the temporary one.
        #expect(try db.rows("SELECT attname FROM pg_attribute WHERE attrelid = 'idx_film_length'::regclass") == [["length"]])
        let down = try db.migrate("down", environment: online)
        #expect(down.status == 0, "\(down.output)")
        #expect(try db.rows(Self.filmRows) == before)
        #expect(try db.rows("SELECT count(*) FROM film_audit") == [["0"]])
        // The application's triggers still fire for the application's writes.
        try db.execute("UPDATE film SET length = 1 WHERE id = 1")
        #expect(try db.rows("SELECT count(*) FROM film_audit") == [["1"]])
    }

    @Test func expandContractIsRefusedWhenTheRoleCannotSkipTriggers() throws {
        let db = try EngineWorkspace(.postgres)
        try db.execute(Self.filmWithTriggers)
        let role = "r_" + UUID().uuidString.prefix(8).lowercased()
        try db.execute("CREATE ROLE \(role) LOGIN PASSWORD 'pw'; ALTER TABLE film OWNER TO \(role); GRANT CREATE ON SCHEMA public TO \(role)")
        let url = try #require(URLComponents(string: db.url))
        var asRole = url
        asRole.user = role
        asRole.password = "pw"
        let roleURL = try #require(asRole.string)
        let before = try db.rows(Self.filmRows)
        try db.migration(
            "001", "widen_length",
            up: "ALTER TABLE film ALTER COLUMN length TYPE integer CONCURRENTLY;",
            down: "ALTER TABLE film ALTER COLUMN length TYPE smallint CONCURRENTLY;")
        let up = try db.migrate("up", environment: ["MIGRATE_ONLINE_MIN_ROWS": "10", "DATABASE_URL": roleURL])
        #expect(up.status == 2, "\(up.output)")
        #expect(up.stderr.contains("001_widen_length.up.sql:3:1"), "\(up.stderr)")
        #expect(up.stderr.contains("film_audit_row (AFTER UPDATE)") && up.stderr.contains("film_last_update (BEFORE UPDATE)"), "\(up.stderr)")
        #expect(up.stderr.contains("GRANT SET ON PARAMETER session_replication_role"), "\(up.stderr)")
        #expect(try db.rows(Self.filmRows) == before)
        #expect(try db.rows("SELECT to_regclass('schema_migrations') IS NULL") == [["t"]])
    }

    // MARK: PostgreSQL: a failure after an expand/contract type change undoes it exactly

    @Test func failureAfterATypeChangeAndALaterCommitRestoresEverything() throws {
        let db = try EngineWorkspace(.postgres)
        try db.execute(Self.filmWithTriggers)
        let rows = "SELECT id, length, last_update FROM film ORDER BY id"
        let before = try db.rows(rows)
        let schema = try db.inspect()
        let online = ["MIGRATE_ONLINE_MIN_ROWS": "10"]
        try db.migration(
            "001", "widen",
            up: """
                ALTER TABLE film ALTER COLUMN length TYPE integer CONCURRENTLY;
                CREATE INDEX CONCURRENTLY idx_film_last_update ON film (last_update);
                INSERT INTO no_such_table VALUES (1);
                """, down: "DROP INDEX CONCURRENTLY idx_film_last_update; ALTER TABLE film ALTER COLUMN length TYPE smallint CONCURRENTLY;")
        let dryRun = try db.migrate("up", "--dry-run", environment: online)
        #expect(dryRun.stdout.contains("DROP COLUMN length  -- in the migration's last transaction"), "\(dryRun.stdout)")
        let up = try db.migrate("up", environment: online)
        #expect(up.status == 1, "\(up.output)")
        #expect(up.stderr.contains("the database is as it was before it"), "\(up.stderr)")
        #expect(try db.rows(rows) == before)
        #expect(try db.inspect() == schema)
        #expect(
            try db.rows("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'film'::regclass AND attname = 'length'") == [
                ["smallint"]
            ])

        // Without the failing statement it applies, the swap last.
        try db.migration(
            "001", "widen",
            up: """
                ALTER TABLE film ALTER COLUMN length TYPE integer CONCURRENTLY;
                CREATE INDEX CONCURRENTLY idx_film_last_update ON film (last_update);
                """, down: "DROP INDEX CONCURRENTLY idx_film_last_update; ALTER TABLE film ALTER COLUMN length TYPE smallint CONCURRENTLY;")
        let applied = try db.migrate("up", environment: online)
        #expect(applied.status == 0, "\(applied.output)")
        #expect(
            try db.rows("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'film'::regclass AND attname = 'length'") == [
                ["integer"]
            ])
        #expect(try db.rows(rows) == before)
    }

    /// Statements after the type change that use the column need the swap done: a failure
    /// after a later commit then says exactly what it could not undo.
    @Test func aFailureAfterCommitsThatUseTheNewColumnNamesWhatStays() throws {
        let db = try EngineWorkspace(.postgres)
        try db.execute(Self.filmWithTriggers)
        try db.migration(
            "001", "widen",
            up: """
                ALTER TABLE film ALTER COLUMN length TYPE integer CONCURRENTLY;
                CREATE INDEX CONCURRENTLY idx_film_length_last ON film (length, last_update);
                INSERT INTO no_such_table VALUES (1);
                """, down: "DROP INDEX CONCURRENTLY idx_film_length_last; ALTER TABLE film ALTER COLUMN length TYPE smallint CONCURRENTLY;")
        let up = try db.migrate("up", environment: ["MIGRATE_ONLINE_MIN_ROWS": "10"])
        #expect(up.status == 1, "\(up.output)")
        #expect(up.stderr.contains("rolled back except") && up.stderr.contains("DROP COLUMN length"), "\(up.stderr)")
        #expect(try db.rows("SELECT count(*) FROM pg_class WHERE relname = 'idx_film_length_last'") == [["0"]])
    }

    // MARK: PostgreSQL: a failed concurrent build drops nobody else's index

    @Test func failedConcurrentBuildKeepsTheIndexThatWasThere() throws {
        let db = try EngineWorkspace(.postgres)
        try db.execute(
            """
            CREATE TABLE users (id bigint PRIMARY KEY, email text);
            INSERT INTO users SELECT i, 'u' || i FROM generate_series(1, 50) i;
            CREATE INDEX idx_users_email ON users (lower(email));
            """)
        let definition = "SELECT pg_get_indexdef('idx_users_email'::regclass)"
        let before = try db.rows(definition)
        try db.migration(
            "001", "email_index", up: "CREATE INDEX CONCURRENTLY idx_users_email ON users (email);",
            down: "DROP INDEX CONCURRENTLY idx_users_email;")
        let up = try db.migrate("up")
        #expect(up.status == 1, "\(up.output)")
        #expect(up.stderr.contains("already exists"), "\(up.stderr)")
        #expect(try db.rows(definition) == before)
        #expect(try db.rows("SELECT count(*) FROM _migrate_journal") == [["0"]])

        try db.migration(
            "001", "email_index", up: "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_email ON users (email);",
            down: "SELECT 1;")
        try db.execute("DELETE FROM schema_migrations")
        let again = try db.migrate("up")
        #expect(again.status == 0, "\(again.output)")
        #expect(try db.rows(definition) == before)
    }

    // MARK: SQLite: a rebuild keeps every untouched declaration and every rowid

    @Test(arguments: ["100000", "1"])
    func rebuildKeepsDeclarationsAndRowids(onlineMinimumRows: String) throws {
        let ws = try Workspace()
        try ws.execute(
            """
            CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20) COLLATE NOCASE NOT NULL, score int, note TEXT);
            INSERT INTO t (id, name, score, note) VALUES (5, 'five', 1, 'a'), (-3, 'minus three', 2, 'b');
            """)
        let rows = "SELECT rowid, id, name, score, note FROM t ORDER BY rowid"
        #expect(try ws.rows(rows) == [["1", "5", "five", "1", "a"], ["2", "-3", "minus three", "2", "b"]])
        try ws.migration(
            "001", "score_bigint", up: "ALTER TABLE t ALTER COLUMN score TYPE bigint CONCURRENTLY;",
            down: "ALTER TABLE t ALTER COLUMN score TYPE int CONCURRENTLY;")
        let up = try ws.migrate("up", environment: ["MIGRATE_ONLINE_MIN_ROWS": onlineMinimumRows])
        #expect(up.status == 0, "\(up.output)")
        let sql = try ws.rows("SELECT sql FROM sqlite_schema WHERE name = 't'").first?.first ?? ""
        #expect(sql.contains("id INT PRIMARY KEY"), "\(sql)")
        #expect(sql.contains("name VARCHAR(20) COLLATE NOCASE NOT NULL"), "\(sql)")
        #expect(sql.contains("note TEXT"), "\(sql)")
        #expect(try ws.rows(rows) == [["1", "5", "five", "1", "a"], ["2", "-3", "minus three", "2", "b"]])
        // The column was not made the rowid alias: a new row gets the next rowid, not its id.
        try ws.execute("INSERT INTO t (id, name) VALUES (100, 'hundred')")
        #expect(try ws.rows("SELECT rowid FROM t WHERE id = 100") == [["3"]])
    }

    // MARK: SQLite: checks with keywords and functions

    @Test func addCheckWithKeywordsAndFunctionsOnSQLite() throws {
        let ws = try Workspace()
        try ws.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, status TEXT, code TEXT, n INTEGER); INSERT INTO t VALUES (1, 'a', 'x1', 5)")
        try ws.migration(
            "001", "checks",
            up: """
                ALTER TABLE t ADD CONSTRAINT ck_status CHECK (status IN ('a', 'b') OR status IS NULL);
                ALTER TABLE t ADD CONSTRAINT ck_code CHECK (code LIKE 'x%' AND length(code) BETWEEN 1 AND 5);
                ALTER TABLE t ADD CONSTRAINT ck_n CHECK (n IS NOT NULL AND CAST(n AS integer) > 0);
                """, down: "ALTER TABLE t DROP CONSTRAINT ck_n; ALTER TABLE t DROP CONSTRAINT ck_code; ALTER TABLE t DROP CONSTRAINT ck_status;")
        let up = try ws.migrate("up")
        #expect(up.status == 0, "\(up.output)")
        #expect(throws: (any Error).self) { try ws.execute("INSERT INTO t VALUES (2, 'c', 'x2', 1)") }
        #expect(throws: (any Error).self) { try ws.execute("INSERT INTO t VALUES (3, 'a', 'y', 1)") }
        #expect(throws: (any Error).self) { try ws.execute("INSERT INTO t VALUES (4, 'a', 'x4', NULL)") }
        let down = try ws.migrate("down")
        #expect(down.status == 0, "\(down.output)")
        try ws.execute("INSERT INTO t VALUES (2, 'c', 'y', NULL)")
    }

    // MARK: Planned downs drop the constraint by the name the engine gave it

    @Test(arguments: TestEngine.allCases)
    func plannedDownDropsTheColumnCheckByItsName(engine: TestEngine) throws {
        let db = try EngineWorkspace(engine)
        try db.ws.write(
            "schema/app.yaml",
            """
            tables:
              users:
                columns:
                  id: bigint primary key
                  age: integer
            """)
        #expect(try db.migrate("plan", "--name", "users").status == 0)
        #expect(try db.migrate("up").status == 0)
        try db.ws.write(
            "schema/app.yaml",
            """
            tables:
              users:
                columns:
                  id: bigint primary key
                  age: integer check (age > 0)
            """)
        let plan = try db.migrate("plan", "--name", "age check")
        #expect(plan.status == 0, "\(plan.output)")
        let down = try db.ws.read("migrations/002_age_check.down.sql")
        #expect(down.contains("users_age_check"), "\(down)")
        #expect(try db.migrate("up").status == 0)
        let reverted = try db.migrate("down")
        #expect(reverted.status == 0, "\(engine): \(reverted.output)")
        #expect(try db.migrate("up").status == 0)
        #expect(try db.migrate("plan", "--dry-run").stdout.contains("up to date"))
    }

    // MARK: validate accepts a down that drops what its own up created

    @Test(arguments: TestEngine.allCases)
    func downDroppingWhatItsUpCreatedIsNotDangerous(engine: TestEngine) throws {
        let db = try EngineWorkspace(engine)
        try db.migration("001", "create_t", up: "CREATE TABLE t (id integer PRIMARY KEY, v text);", down: "DROP TABLE t;")
        let validate = try db.migrate("validate")
        #expect(validate.status == 0, "\(validate.output)")
        #expect(try db.migrate("up").status == 0)
        let down = try db.migrate("down")
        #expect(down.status == 0, "\(down.output)")

        // A down that drops a table its up did not create is still refused.
        try db.execute("CREATE TABLE kept (id integer)")
        try db.migration("002", "drop_kept", up: "CREATE TABLE u (id integer);", down: "DROP TABLE u; DROP TABLE kept;")
        let refused = try db.migrate("validate")
        #expect(refused.status == 2, "\(refused.output)")
        #expect(refused.output.contains("DROP TABLE kept"), "\(refused.output)")
    }

    // MARK: Every wait is bounded by --lock-timeout

    @Test func aHeldWriteLockIsWaitedForOnceNotTwice() throws {
        let ws = try Workspace()
        try ws.migration("001", "create_a", up: "CREATE TABLE a (id integer);", down: "DROP TABLE a;")
        #expect(try ws.migrate("up").status == 0)
        try ws.migration("002", "create_b", up: "CREATE TABLE b (id integer);", down: "DROP TABLE b;")
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let holder = try DatabaseQueue(path: ws.databasePath, configuration: configuration)
        try holder.inDatabase { try $0.execute(sql: "BEGIN IMMEDIATE; INSERT INTO a VALUES (1)") }
        defer { try? holder.inDatabase { try $0.execute(sql: "ROLLBACK") } }
        let started = Date()
        let up = try ws.migrate("up", "--lock-timeout", "3")
        let waited = Date().timeIntervalSince(started)
        #expect(up.status == 1, "\(up.output)")
        #expect(up.stderr.contains("locked"), "\(up.stderr)")
        // One wait of 3 s (the migration's), not a second one to record its failure.
        #expect(waited < 5.5, "waited \(waited) s")
    }

    // MARK: Bad input and output

    @Test(arguments: [
        ("ALTER TABLE t ADD COLUMN y integer DEFAULT (;", "3:45: expected ')' to close the expression"),
        ("CREATE TABLE x (id int) garbage;", "3:25: expected end of statement or a table option"),
    ])
    func upRejectsWhatValidateRejectsBeforeRunning(up: String, error: String) throws {
        let ws = try Workspace()
        try ws.migration("001", "create_t", up: "CREATE TABLE t (id integer);", down: "DROP TABLE t;")
        try ws.migration("002", "bad", up: up, down: "SELECT 1;")
        let run = try ws.migrate("up")
        #expect(run.status == 2, "\(run.output)")
        #expect(run.stderr.contains("migrations/002_bad.up.sql:" + error), "\(run.stderr)")
        #expect(try ws.rows("SELECT count(*) FROM sqlite_schema WHERE name = 't'") == [["0"]])
        let validate = try ws.migrate("validate")
        #expect(validate.status == 2)
        #expect(validate.stdout.contains("checked for SQLite, the engine of sqlite:app.db"), "\(validate.stdout)")
    }

    @Test func validateChecksForTheConfiguredEngineWithoutItsServer() throws {
        let ws = try Workspace()
        try ws.migration(
            "001", "mood", up: "CREATE TYPE mood AS ENUM ('happy', 'sad');\nCREATE TABLE t (id bigint PRIMARY KEY, m mood);",
            down: "DROP TABLE t;\nDROP TYPE mood;")
        let unreachable = "postgres://me@127.0.0.1:1/app?connect_timeout=2"
        let run = try ws.migrate(["validate"], environment: ["DATABASE_URL": unreachable])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.stdout.contains("checked for PostgreSQL") && run.stdout.contains("could not reach the database"), "\(run.stdout)")
        // The same files checked for SQLite, the default engine, fail on CREATE TYPE.
        let sqlite = try ws.migrate("validate")
        #expect(sqlite.status == 2, "\(sqlite.output)")
        #expect(sqlite.stdout.contains("checked for SQLite"), "\(sqlite.stdout)")
    }

    @Test func checkWithAMissingSchemaPathIsAnError() throws {
        let ws = try Workspace()
        let check = try ws.migrate("check", "--schema", "no/such/schema")
        #expect(check.status == 2, "\(check.output)")
        #expect(check.stderr.contains("no/such/schema"), "\(check.stderr)")
        // Without --schema, a missing default folder is only a note.
        #expect(try ws.migrate("check").status == 0)
    }

    @Test func outputToAClosedPipeEndsQuietly() throws {
        let ws = try Workspace()
        try ws.migration("001", "create_t", up: "CREATE TABLE t (id integer);", down: "DROP TABLE t;")
        for arguments in [["status"], ["up"], ["--help"]] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: migrateBinary)
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: ws.path)
            let out = Pipe()
            let err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try out.fileHandleForReading.close()
            try process.run()
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationReason == .exit, "\(arguments)")
            #expect(process.terminationStatus == 0, "\(arguments): \(String(decoding: stderr, as: UTF8.self))")
            #expect(stderr.isEmpty, "\(arguments): \(String(decoding: stderr, as: UTF8.self))")
        }
        #expect(try ws.rows("SELECT count(*) FROM schema_migrations WHERE status = 'applied'") == [["1"]])
    }
}
