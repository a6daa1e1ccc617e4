import SchemaModel
import Testing

@testable import SQLSyntax

@Suite struct SchemaInterpreterTests {
    func replay(_ sql: String) throws -> Schema {
        var interpreter = SchemaInterpreter()
        try interpreter.apply(try Parser.parse(sql, file: "m.sql"), file: "m.sql")
        return interpreter.schema
    }

    @Test func createTableMovesInlineConstraintsToTheTable() throws {
        let schema = try replay(
            """
            CREATE TABLE users (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              email TEXT NOT NULL UNIQUE,
              org_id INTEGER REFERENCES orgs(id) ON DELETE CASCADE,
              age INTEGER CHECK (age >= 0) DEFAULT 18
            );
            """)
        let users = try #require(schema.table("users"))
        #expect(users.primaryKey == PrimaryKey(columns: ["id"], autoincrement: true))
        #expect(users.uniques == [UniqueConstraint(columns: ["email"])])
        #expect(users.foreignKeys == [ForeignKey(columns: ["org_id"], referencedTable: "orgs", referencedColumns: ["id"], onDelete: .cascade)])
        #expect(users.checks == [Check(expression: "age >= 0")])
        #expect(users.column("age")?.defaultValue == "18")
        #expect(users.column("email")?.nullable == false)
    }

    /// `ADD CONSTRAINT ... USING INDEX` turns the unique index built before it into the key.
    @Test func keyUsingAnIndexTakesItOver() throws {
        let schema = try replay(
            """
            CREATE TABLE users (id bigint NOT NULL, email text);
            CREATE UNIQUE INDEX CONCURRENTLY users_pkey ON users (id);
            ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey;
            CREATE UNIQUE INDEX CONCURRENTLY users_email_idx ON users (email);
            ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;
            """)
        let users = try #require(schema.table("users"))
        #expect(users.primaryKey?.columns == ["id"])
        #expect(users.uniques.map(\.columns) == [["email"]])
        #expect(users.uniques.first?.name == "users_email_key")
        #expect(users.indexes.isEmpty)
        #expect(throws: (any Error).self) {
            try replay("CREATE TABLE t (id int); ALTER TABLE t ADD CONSTRAINT k UNIQUE USING INDEX missing;")
        }
        guard case .alterTable(let alter) = try Parser.parse("ALTER TABLE users ADD CONSTRAINT k UNIQUE USING INDEX k")[0].statement else {
            Issue.record("not an ALTER TABLE")
            return
        }
        #expect(MigrationFileDialect().alterTable(alter) == "ALTER TABLE users ADD CONSTRAINT k UNIQUE USING INDEX k")
    }

    @Test func seedPatternsReplay() throws {
        let schema = try replay(
            """
            CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, old_field TEXT, email TEXT);
            CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, amount INTEGER);
            ALTER TABLE users ADD COLUMN status TEXT DEFAULT 'active' CONCURRENTLY;
            CREATE INDEX CONCURRENTLY idx_users_email ON users(email);
            ALTER TABLE orders ADD CONSTRAINT fk_user_id FOREIGN KEY (user_id) REFERENCES users(id);
            ALTER TABLE users RENAME COLUMN email TO mail;
            ALTER TABLE orders ALTER COLUMN amount TYPE DECIMAL(10,2) USING amount::DECIMAL CONCURRENTLY;
            ALTER TABLE users DROP COLUMN old_field CONCURRENTLY;
            """)
        let users = try #require(schema.table("users"))
        #expect(users.columns.map(\.name) == ["id", "name", "mail", "status"])
        #expect(users.indexes.first?.keys == [.column("mail")])
        #expect(schema.table("orders")?.column("amount")?.type == DataType(name: "decimal", arguments: ["10", "2"]))
        #expect(schema.table("orders")?.foreignKeys.first?.name == "fk_user_id")
    }

    @Test func dropColumnRemovesWhatUsesIt() throws {
        let schema = try replay(
            """
            CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT UNIQUE, b TEXT);
            CREATE INDEX idx_a ON t (a);
            CREATE INDEX idx_b_partial ON t (b) WHERE a IS NOT NULL;
            ALTER TABLE t DROP COLUMN a;
            """)
        #expect(schema.table("t")?.indexes.isEmpty == true)
        #expect(schema.table("t")?.uniques.isEmpty == true)
    }

    @Test func renameTableFollowsReferences() throws {
        let schema = try replay(
            """
            CREATE TABLE a (id INTEGER PRIMARY KEY);
            CREATE TABLE b (a_id INTEGER REFERENCES a(id));
            ALTER TABLE a RENAME TO aa;
            """)
        #expect(schema.table("b")?.foreignKeys.first?.referencedTable == "aa")
    }

    @Test func dropConstraintByPostgresNames() throws {
        let schema = try replay(
            """
            CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT UNIQUE, n INTEGER CHECK (n > 0), p INTEGER REFERENCES t(id));
            ALTER TABLE t DROP CONSTRAINT t_email_key;
            ALTER TABLE t DROP CONSTRAINT t_n_check;
            ALTER TABLE t DROP CONSTRAINT t_p_fkey;
            ALTER TABLE t DROP CONSTRAINT t_pkey;
            """)
        let t = try #require(schema.table("t"))
        #expect(t.uniques.isEmpty && t.checks.isEmpty && t.foreignKeys.isEmpty && t.primaryKey == nil)
    }

    @Test func missingTableIsAnErrorAtTheStatement() throws {
        #expect(throws: SQLSyntaxError(file: "m.sql", location: SourceLocation(line: 2, column: 1), message: "table \"nope\" does not exist")) {
            try replay("CREATE TABLE t (id INTEGER);\nALTER TABLE nope ADD COLUMN x TEXT;")
        }
    }

    @Test func viewsAndTriggersAreKeptAsObjects() throws {
        let schema = try replay(
            """
            CREATE TABLE t (id INTEGER);
            CREATE VIEW v AS SELECT id FROM t;
            CREATE TRIGGER trg AFTER INSERT ON t BEGIN SELECT 1; END;
            DROP VIEW v;
            """)
        #expect(schema.objects.map(\.name) == ["trg"])
        #expect(schema.objects.first?.table == "t")
    }
}
