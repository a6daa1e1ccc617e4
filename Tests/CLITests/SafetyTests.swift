import Foundation
import Testing

/// One guard or lint rule: a migration that trips it, where, and whether it is refused
/// without `--strict` (dangerous operations) or only with it (warnings).
struct SafetyCase: CustomTestStringConvertible, Sendable {
    var rule: String
    var up: String
    var line: Int
    var dangerous: Bool

    var testDescription: String { rule }

    static let all: [SafetyCase] = [
        SafetyCase(rule: "drop-table", up: "DROP TABLE orders;", line: 3, dangerous: true),
        SafetyCase(rule: "truncate", up: "TRUNCATE orders;", line: 3, dangerous: true),
        SafetyCase(rule: "delete-without-where", up: "INSERT INTO orders (user_id) VALUES (1);\nDELETE FROM orders;", line: 4, dangerous: true),
        SafetyCase(rule: "update-without-where", up: "UPDATE users SET email = lower(email);", line: 3, dangerous: true),
        SafetyCase(rule: "index-not-concurrent", up: "CREATE INDEX idx_users_email ON users (email);", line: 3, dangerous: false),
        SafetyCase(rule: "add-column-not-null-without-default", up: "ALTER TABLE users ADD COLUMN age INTEGER NOT NULL;", line: 3, dangerous: false),
        SafetyCase(rule: "drop-column", up: "ALTER TABLE users DROP COLUMN nickname CONCURRENTLY;", line: 3, dangerous: false),
        SafetyCase(rule: "narrowing-type", up: "ALTER TABLE users ALTER COLUMN email TYPE varchar(10) CONCURRENTLY;", line: 3, dangerous: false),
        SafetyCase(rule: "type-change-rewrites", up: "ALTER TABLE orders ALTER COLUMN user_id TYPE bigint;", line: 3, dangerous: false),
        SafetyCase(rule: "drop-index-used-by-foreign-key", up: "DROP INDEX CONCURRENTLY idx_users_code;", line: 3, dangerous: false),
        SafetyCase(rule: "rename-column-used-by-view", up: "ALTER TABLE users RENAME COLUMN email TO mail;", line: 3, dangerous: false),
        SafetyCase(
            rule: "multiple-rebuilds",
            up:
                "ALTER TABLE users ALTER COLUMN email SET NOT NULL CONCURRENTLY;\nALTER TABLE orders ALTER COLUMN user_id SET NOT NULL CONCURRENTLY;\nALTER TABLE users ALTER COLUMN nickname SET DEFAULT 'x' CONCURRENTLY;",
            line: 5, dangerous: false),
    ]
}

@Suite struct SafetyTests {
    func prepared() throws -> Workspace {
        let ws = try Workspace()
        try ws.execute(
            """
            CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, nickname TEXT, code TEXT);
            CREATE UNIQUE INDEX idx_users_code ON users (code);
            CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, user_code TEXT REFERENCES users (code));
            CREATE VIEW user_emails AS SELECT id, email FROM users;
            INSERT INTO users (email, nickname, code) VALUES ('A@x', 'a', 'c1'), ('B@x', 'b', 'c2');
            INSERT INTO orders (user_id, user_code) VALUES (1, 'c1'), (2, 'c2');
            """)
        return ws
    }

    func snapshot(_ ws: Workspace) throws -> [[String]] {
        try ws.userSchema() + ws.rows("SELECT * FROM users ORDER BY id") + ws.rows("SELECT * FROM orders ORDER BY id")
    }

    @Test(arguments: SafetyCase.all)
    func refusedWithExitTwoAndNothingChanged(_ safety: SafetyCase) throws {
        let ws = try prepared()
        try ws.migration("001", "risky", up: safety.up, down: "SELECT 1;")
        let before = try snapshot(ws)
        let refused = safety.dangerous ? try ws.migrate("up") : try ws.migrate("up", "--strict")
        #expect(refused.status == 2, "\(refused.output)")
        #expect(refused.stderr.contains("migrations/001_risky.up.sql:\(safety.line):1: [\(safety.rule)]"), "\(refused.stderr)")
        #expect(try snapshot(ws) == before)
        #expect(try ws.rows("SELECT count(*) FROM sqlite_schema WHERE name = 'schema_migrations'") == [["0"]])

        let validate = safety.dangerous ? try ws.migrate("validate") : try ws.migrate("validate", "--strict")
        #expect(validate.status == 2, "\(validate.output)")
        #expect(validate.stderr.contains("migrations/001_risky.up.sql:\(safety.line):1: [\(safety.rule)]"), "\(validate.output)")
        // The flag that allows them is the command line's hint, not the library's words.
        for run in [refused, validate] {
            #expect(run.stderr.contains("hint: --allow-dangerous allows them for this run") == safety.dangerous, "\(run.stderr)")
        }
    }

    @Test(arguments: SafetyCase.all.filter { !$0.dangerous })
    func warningsDoNotBlockWithoutStrict(_ safety: SafetyCase) throws {
        let ws = try prepared()
        try ws.migration("001", "risky", up: safety.up, down: "SELECT 1;")
        let run = try ws.migrate("up", "--allow-dangerous")
        #expect(run.stderr.contains("warning: migrations/001_risky.up.sql:\(safety.line):1: [\(safety.rule)]"), "\(run.stderr)")
        // These three fail at run time on this data, which is what the warnings are about.
        if !["add-column-not-null-without-default", "narrowing-type", "drop-index-used-by-foreign-key"].contains(safety.rule) {
            #expect(run.status == 0, "\(run.output)")
        }
    }

    @Test func markerOrFlagAllowsDangerousOperations() throws {
        let ws = try prepared()
        try ws.migration(
            "001", "drop_orders", up: "-- migrate:allow-dangerous\nDROP TABLE orders;", down: "CREATE TABLE orders (id INTEGER PRIMARY KEY);")
        #expect(try ws.migrate("up").status == 0)
        try ws.migration("002", "truncate_users", up: "DELETE FROM users;", down: "SELECT 1;")
        #expect(try ws.migrate("up").status == 2)
        #expect(try ws.migrate("up", "--allow-dangerous").status == 0)
        #expect(try ws.rows("SELECT count(*) FROM users") == [["0"]])
    }

    @Test func downIsGuardedToo() throws {
        let ws = try prepared()
        // A down that drops a table its own up did not create.
        try ws.execute("CREATE TABLE t (x INT)")
        try ws.migration("001", "add_y", up: "ALTER TABLE t ADD COLUMN y INT;", down: "DROP TABLE t;")
        #expect(try ws.migrate("up").status == 0)
        let refused = try ws.migrate("down")
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("migrations/001_add_y.down.sql:3:1: [drop-table] DROP TABLE t destroys every row"), "\(refused.stderr)")
        #expect(try ws.rows("SELECT count(*) FROM sqlite_schema WHERE name = 't'") == [["1"]])
        #expect(try ws.migrate("down", "--allow-dangerous").status == 0)
    }

    @Test func validateChecksEverythingWithoutADatabase() throws {
        let ws = try Workspace()
        try ws.migration("001", "create", up: "CREATE TABLE t (x INT);", down: "-- migrate:allow-dangerous\nDROP TABLE t;")
        try ws.migration("003", "add", up: "ALTER TABLE t ADD COLUMN y INT;", down: "ALTER TABLE t DROP COLUMN y;")
        let valid = try ws.migrate("validate")
        #expect(valid.status == 0, "\(valid.output)")
        #expect(valid.stdout.contains("numbering skips from 001 to 003"))
        #expect(valid.stdout.contains("ran every migration against an empty database"))
        #expect(valid.stderr.contains("[drop-column]"))
        #expect(!FileManager.default.fileExists(atPath: ws.databasePath))

        try ws.migration("004", "broken", up: "ALTER TABLE t ADD COLUMN z INT;\nUPDATE t SET nope = 1 WHERE x = 0;", down: "")
        let broken = try ws.migrate("validate", "--format", "json")
        #expect(broken.status == 2)
        let document = try JSONSerialization.jsonObject(with: Data(broken.stdout.utf8)) as? [String: Any]
        #expect(document?["valid"] as? Bool == false)
        let errors = document?["errors"] as? [String] ?? []
        #expect(errors.contains { $0.contains("004_broken.down.sql: the down file has no statements") }, "\(errors)")
    }
}

extension SafetyTests {
    @Test func validateFindsDownFilesThatDoNotRevert() throws {
        let ws = try Workspace()
        try ws.migration("001", "create", up: "CREATE TABLE t (x INT);", down: "-- migrate:allow-dangerous\nDROP TABLE t;")
        try ws.migration(
            "002", "index", up: "CREATE INDEX CONCURRENTLY idx_t_x ON t (x);\nALTER TABLE t ADD COLUMN y INT;",
            down: "ALTER TABLE t DROP COLUMN y;")
        try ws.migration("003", "rename", up: "ALTER TABLE t RENAME COLUMN x TO z;", down: "ALTER TABLE t RENAME COLUMN nope TO x;")
        let run = try ws.migrate("validate")
        #expect(run.status == 0, "\(run.output)")
        #expect(
            run.stderr.contains(
                "warning: migrations/002_index.down.sql:1:1: [down-does-not-revert] after up then down the schema differs from before; the down file also needs to: Drop index idx_t_x on t"
            ), "\(run.stderr)")
        #expect(
            run.stderr.contains(
                "warning: migrations/003_rename.down.sql:3:1: [down-does-not-revert] the down file does not apply to the schema its up file leaves: column \"nope\" of table \"t\" does not exist"
            ), "\(run.stderr)")
        #expect(try ws.migrate("validate", "--strict").status == 2)
    }
}

extension SafetyTests {
    @Test func validateComparesTheViewsAndIndexesTheFilesChange() throws {
        let ws = try Workspace()
        try ws.migration("001", "create", up: "CREATE TABLE t (x INT);", down: "-- migrate:allow-dangerous\nDROP TABLE t;")
        try ws.migration("002", "view", up: "CREATE VIEW v AS SELECT x FROM t;", down: "CREATE TABLE unrelated (y INT);")
        try ws.migration("003", "index", up: "CREATE INDEX idx_t_x ON t (x);", down: "DROP INDEX idx_t_x;")
        let run = try ws.migrate("validate")
        #expect(run.status == 0, "\(run.output)")
        let reverts = run.stderr.split(separator: "\n").filter { $0.contains("[down-does-not-revert]") }
        #expect(reverts.count == 1, "\(run.stderr)")
        #expect(reverts.first?.contains("migrations/002_view.down.sql") == true, "\(run.stderr)")
        #expect(reverts.first?.contains("view v") == true || reverts.first?.contains("unrelated") == true, "\(run.stderr)")
    }
}
