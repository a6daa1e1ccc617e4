import Foundation
import Testing

/// The end-to-end cases every engine must pass, run once per engine through
/// `EngineWorkspace`: the seed's Quick Start, every seed pattern up and down, a failing
/// migration, and the declarative loop.
@Suite struct BothEnginesTests {
    static let setup = """
        CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, username TEXT, old_field TEXT, old_name TEXT);
        CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, amount INTEGER, price INTEGER);
        CREATE INDEX idx_old_index ON users (old_name);
        INSERT INTO users (id, email, username, old_field, old_name) VALUES (1, 'a@x', 'a', 'f1', 'A'), (2, 'b@x', 'b', 'f2', 'B'), (3, 'c@x', 'c', NULL, 'C');
        INSERT INTO orders (id, user_id, amount, price) VALUES (1, 1, 10, 100), (2, 1, 20, 200), (3, 2, 5, 50), (4, 3, 7, 70);
        """

    /// Rows that no pattern may change, in SQL both engines read alike.
    static let invariants = [
        "SELECT id, email, username FROM users ORDER BY id",
        "SELECT count(*), CAST(sum(amount) AS INTEGER), CAST(sum(price) AS INTEGER), CAST(sum(user_id) AS INTEGER) FROM orders",
    ]

    /// What shows that a seed pattern's up migration took effect, in ways both engines answer.
    struct Checks: Sendable {
        /// A query and its answer.
        var effect: String? = nil
        var expected: [[String]] = []
        /// Text `inspect` must then show / not show.
        var inspectShows: String? = nil
        var inspectHides: String? = nil
    }

    /// A seed pattern (its SQL from `SeedPatternTests`) with its checks.
    struct Pattern: CustomTestStringConvertible, Sendable {
        var seed: SeedPatternTests.Pattern
        var checks: Checks
        var testDescription: String { seed.name }
    }

    /// The checks, in the order of `SeedPatternTests.patterns`.
    static let patterns: [Pattern] = zip(
        SeedPatternTests.patterns,
        [
            Checks(effect: "SELECT DISTINCT status FROM users", expected: [["active"]]),
            Checks(inspectHides: "old_field"),
            Checks(inspectShows: "idx_users_email"),
            Checks(inspectShows: "idx_users_username"),
            Checks(inspectHides: "idx_old_index"),
            Checks(inspectShows: "amount: decimal(10,2)"),
            Checks(inspectShows: "price: decimal(10,2)"),
            Checks(inspectShows: "fk_user_id"),
            Checks(effect: "SELECT new_name FROM users ORDER BY id", expected: [["A"], ["B"], ["C"]]),
        ]
    ).map(Pattern.init)

    static var enginesAndPatterns: [(TestEngine, Pattern)] {
        TestEngine.allCases.flatMap { engine in patterns.map { (engine, $0) } }
    }

    /// `inspect` output as a multiset of lines: a column dropped and added back comes last.
    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).sorted()
    }

    @Test(arguments: enginesAndPatterns)
    func seedPatternAppliesUpAndDownKeepingRows(engine: TestEngine, pattern: Pattern) throws {
        let db = try EngineWorkspace(engine)
        try db.execute(Self.setup)
        let rowsBefore = try Self.invariants.map(db.rows)
        let schemaBefore = try db.inspect()
        try db.migration("001", "pattern", up: pattern.seed.up, down: pattern.seed.down)
        let checks = pattern.checks

        let up = try db.migrate("up")
        #expect(up.status == 0, "\(engine): \(up.output)")
        if let effect = checks.effect { #expect(try db.rows(effect) == checks.expected, "\(engine)") }
        let schemaUp = try db.inspect()
        if let shows = checks.inspectShows { #expect(schemaUp.contains(shows), "\(engine): \(schemaUp)") }
        if let hides = checks.inspectHides { #expect(!schemaUp.contains(hides), "\(engine): \(schemaUp)") }
        #expect(try Self.invariants.map(db.rows) == rowsBefore, "\(engine)")

        let down = try db.migrate("down", "--count", "1")
        #expect(down.status == 0, "\(engine): \(down.output)")
        #expect(try Self.invariants.map(db.rows) == rowsBefore, "\(engine)")
        #expect(Self.lines(try db.inspect()) == Self.lines(schemaBefore), "\(engine)")
    }

    @Test(arguments: TestEngine.allCases)
    func seedQuickStart(engine: TestEngine) throws {
        let db = try EngineWorkspace(engine)
        try db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO users (id, email) VALUES (1, 'a@x'), (2, 'b@x');")
        #expect(try db.migrate("create", "add status column").status == 0)
        try db.ws.write(
            "migrations/001_add_status_column.up.sql",
            "-- Migration: add status column\n-- Created: 2024-01-10 00:00:00\n\nALTER TABLE users ADD COLUMN status TEXT DEFAULT 'active' CONCURRENTLY;\n"
        )
        try db.ws.write(
            "migrations/001_add_status_column.down.sql",
            "-- Migration: add status column\n-- Created: 2024-01-10 00:00:00\n\nALTER TABLE users DROP COLUMN status CONCURRENTLY;\n")
        let pending = try db.migrate("status")
        #expect(
            pending.stdout.range(of: #"001\s+\| Pending\s+\| add status column"#, options: .regularExpression) != nil, "\(engine): \(pending.output)")
        let up = try db.migrate("up")
        #expect(up.status == 0, "\(engine): \(up.output)")
        #expect(up.stdout.range(of: #"001 - \d+ms"#, options: .regularExpression) != nil)
        #expect(up.stdout.contains("Migration complete"))
        #expect(try db.rows("SELECT email, status FROM users ORDER BY id") == [["a@x", "active"], ["b@x", "active"]], "\(engine)")
        #expect(try db.migrate("status").stdout.range(of: #"001\s+\| Applied"#, options: .regularExpression) != nil)
        let down = try db.migrate("down", "--count", "1")
        #expect(down.status == 0, "\(engine): \(down.output)")
        #expect(!(try db.inspect()).contains("status"), "\(engine)")
        #expect(try db.rows("SELECT count(*) FROM users") == [["2"]])
        #expect(try db.migrate("status").stdout.contains("Pending"))
    }

    @Test(arguments: TestEngine.allCases)
    func failingStatementLeavesSchemaRowsAndAFailedHistoryRow(engine: TestEngine) throws {
        let db = try EngineWorkspace(engine)
        try db.execute(Self.setup)
        let rowsBefore = try Self.invariants.map(db.rows)
        let schemaBefore = try db.inspect()
        try db.migration(
            "001", "half",
            up: """
                ALTER TABLE users ADD COLUMN status TEXT DEFAULT 'active';
                CREATE INDEX CONCURRENTLY idx_users_email ON users (email);
                UPDATE users SET username = 'changed' WHERE id > 0;
                INSERT INTO no_such_table VALUES (1);
                """, down: "ALTER TABLE users DROP COLUMN status;")
        let up = try db.migrate("up")
        #expect(up.status == 1, "\(engine): \(up.output)")
        #expect(up.stderr.contains("001_half.up.sql:6:1"), "\(engine): \(up.stderr)")
        #expect(try Self.invariants.map(db.rows) == rowsBefore, "\(engine)")
        #expect(try db.inspect() == schemaBefore, "\(engine)")
        #expect(try db.rows("SELECT version, status FROM schema_migrations") == [["1", "failed"]], "\(engine)")
    }

    @Test(arguments: TestEngine.allCases)
    func planUpCheckAndInspectAgree(engine: TestEngine) throws {
        let db = try EngineWorkspace(engine)
        try db.ws.write(
            "schema/app.yaml",
            """
            tables:
              orgs:
                columns:
                  id: bigint primary key
                  name: varchar(100) not null
              users:
                columns:
                  id: bigint primary key
                  email: text not null
                  status:
                    type: text
                    nullable: false
                    default: "'active'"
                  org_id: bigint
                  score: decimal(10,2) default 0
                  created_at: timestamptz default now()
                indexes:
                  idx_users_email: { columns: [email], unique: true }
                foreign_keys:
                  fk_users_org: { columns: [org_id], references: orgs(id), on_delete: cascade }
                checks:
                  ck_users_status: "status in ('active', 'disabled')"
            """)
        let plan = try db.migrate("plan", "--name", "initial")
        #expect(plan.status == 0, "\(engine): \(plan.output)")
        let up = try db.migrate("up")
        #expect(up.status == 0, "\(engine): \(up.output)")
        let check = try db.migrate("check")
        #expect(check.status == 0, "\(engine): \(check.output)")
        let again = try db.migrate("plan", "--name", "nothing", "--dry-run")
        #expect(again.status == 0, "\(engine): \(again.output)")
        #expect(again.stdout.contains("up to date"), "\(engine): \(again.output)")

        // inspect, then plan from its output, finds nothing to do
        let inspected = try db.inspect()
        try db.ws.write("schema/app.yaml", inspected)
        let fromInspect = try db.migrate("plan", "--dry-run")
        #expect(fromInspect.stdout.contains("up to date"), "\(engine): \(inspected)\n\(fromInspect.output)")

        // a change is planned, applied, and reverted
        try db.ws.write(
            "schema/app.yaml",
            inspected.replacingOccurrences(of: "      email: text not null\n", with: "      email: text not null\n      nickname: text\n"))
        #expect(try db.migrate("plan", "--name", "add nickname").status == 0)
        #expect(try db.migrate("up").status == 0)
        #expect(try db.migrate("check").status == 0)
        #expect(try db.migrate("down").status == 0)
        #expect(!(try db.inspect()).contains("nickname"))
    }
}
