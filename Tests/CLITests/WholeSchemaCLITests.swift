import Foundation
import Testing

/// The desired state's other object kinds through the built binary: a SQL schema file
/// with views and triggers, what a schema file refuses, and `--dev-url`.
@Suite struct WholeSchemaCLITests {
    @Test(arguments: TestEngine.allCases)
    func viewsAndTriggersPlanApplyAndConverge(engine: TestEngine) throws {
        let db = try EngineWorkspace(engine)
        let trigger =
            engine == .sqlite
            ? "CREATE TRIGGER users_audit AFTER UPDATE OF email ON users BEGIN INSERT INTO audit (line) VALUES (new.email); END;"
            : """
            CREATE FUNCTION audit_email() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit (line) VALUES (NEW.email); RETURN NEW; END $$;
            CREATE TRIGGER users_audit AFTER UPDATE OF email ON users FOR EACH ROW EXECUTE FUNCTION audit_email();
            """
        try db.ws.write(
            "schema/app.sql",
            """
            CREATE TABLE users (id integer PRIMARY KEY, email varchar(100) NOT NULL, active boolean DEFAULT true);
            CREATE TABLE audit (line text);
            CREATE INDEX idx_users_email ON users (lower(email));
            CREATE VIEW active_users AS SELECT id, email FROM users WHERE active AND email LIKE '%@%';
            \(trigger)
            """)
        let plan = try db.migrate("plan", "--name", "init")
        #expect(plan.status == 0, "\(engine): \(plan.output)")
        #expect(try db.migrate("up").status == 0)
        #expect(try db.migrate("plan", "--dry-run").stdout.contains("Schema is up to date"), "\(engine)")
        #expect(try db.migrate("check").status == 0, "\(engine)")
        // The trigger runs: it was created, not skipped.
        try db.execute("INSERT INTO users (id, email) VALUES (1, 'a@x'); UPDATE users SET email = 'b@x' WHERE id = 1;")
        #expect(try db.rows("SELECT line FROM audit") == [["b@x"]], "\(engine)")
    }

    @Test func schemaFilesRefuseWhatIsNotSchema() throws {
        let ws = try Workspace()
        try ws.write("schema/app.sql", "CREATE TABLE t (id integer);\nINSERT INTO t VALUES (1);\n")
        let run = try ws.migrate("plan", "--dry-run")
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("error: schema/app.sql:2:1: expected schema DDL (CREATE, ALTER or COMMENT) in a schema file, found INSERT"))

        try ws.write("schema/app.sql", "CREATE TRIGGER tr AFTER INSERT ON missing BEGIN SELECT 1; END;\n")
        let missing = try ws.migrate("plan", "--dry-run")
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("the schema files do not load into SQLite: no such table: main.missing"), "\(missing.output)")

        try ws.write("schema/app.sql", "CREATE TYPE mood AS ENUM ('a');\n")
        let kind = try ws.migrate("plan", "--dry-run")
        #expect(kind.status == 2)
        #expect(kind.stderr.contains("type mood: SQLite has no types"), "\(kind.output)")
    }

    @Test func devURLNamesTheScratchDatabase() throws {
        let db = try EngineWorkspace(.postgres)
        let dev = try PostgresTestServer.createDatabase()
        try db.ws.write(
            "schema/app.yaml", "tables:\n  users:\n    columns: { id: bigint primary key, email: text }\nviews:\n  emails: SELECT email FROM users\n")
        let plan = try db.migrate("plan", "--name", "init", "--dev-url", dev)
        #expect(plan.status == 0, "\(plan.output)")
        #expect(try db.migrate("up").status == 0)
        #expect(try db.migrate("plan", "--dry-run", "--dev-url", dev).stdout.contains("Schema is up to date"))
        // The dev database is left as it was: empty.
        #expect(try PostgresTestServer.psql(dev, "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace") == [["0"]])
        // One that is not empty is refused, by name of the flag.
        _ = try PostgresTestServer.psql(dev, "CREATE TABLE leftover (id int)")
        let refused = try db.migrate("plan", "--dry-run", "--dev-url", dev)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--dev-url database is not empty"), "\(refused.output)")
        #expect(try db.migrate("plan", "--dry-run", "--dev-url", "sqlite:x.db").status == 2)
    }
}
