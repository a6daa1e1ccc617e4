import Foundation
import MigrationEngine
import SchemaDiff
import Testing

@testable import SQLiteEngine

@Suite struct TableRebuildTests {
    @Test func rowidsSurviveInATableWithoutIntegerPrimaryKey() async throws {
        let db = try TestDatabase()
        try db.execute("CREATE TABLE notes (body TEXT, n INT); INSERT INTO notes VALUES ('a', 1), ('b', 2), ('c', 3); DELETE FROM notes WHERE n = 2;")
        let plans = try await db.apply("ALTER TABLE notes ALTER COLUMN n TYPE bigint")
        #expect(plans.map(\.strategy) == [.rebuild])
        #expect(try db.rows("SELECT rowid, body, n FROM notes ORDER BY rowid") == [["1", "a", "1"], ["3", "c", "3"]])
        #expect(try db.rows("SELECT sql FROM sqlite_schema WHERE name = 'notes'")[0][0].contains("n BIGINT"))
    }

    @Test func autoincrementCounterSurvives() async throws {
        let db = try TestDatabase()
        try db.execute(
            """
            CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT);
            INSERT INTO users (name) VALUES ('a'), ('b'), ('c');
            DELETE FROM users WHERE id = 3;
            """)
        try await db.apply("ALTER TABLE users ALTER COLUMN name SET NOT NULL")
        try db.execute("INSERT INTO users (name) VALUES ('d')")
        #expect(try db.rows("SELECT id FROM users WHERE name = 'd'") == [["4"]])
    }

    @Test func indexesTriggersAndViewsSurvive() async throws {
        let db = try TestDatabase()
        try db.execute(
            """
            CREATE TABLE orders (id INTEGER PRIMARY KEY, amount INTEGER, note TEXT);
            CREATE INDEX idx_amount ON orders (amount);
            CREATE TABLE log (msg TEXT);
            CREATE TRIGGER orders_log AFTER INSERT ON orders BEGIN INSERT INTO log VALUES ('new'); END;
            CREATE VIEW big AS SELECT id FROM orders WHERE amount > 10;
            INSERT INTO orders (amount, note) VALUES (5, 'x'), (50, 'y');
            """)
        try await db.apply("ALTER TABLE orders ALTER COLUMN amount TYPE DECIMAL(10,2) USING amount::DECIMAL")
        let names = try db.rows("SELECT type, name FROM sqlite_schema WHERE tbl_name IN ('orders', 'big') ORDER BY type, name")
        #expect(names == [["index", "idx_amount"], ["table", "orders"], ["trigger", "orders_log"], ["view", "big"]])
        try db.execute("INSERT INTO orders (amount) VALUES (11)")
        #expect(try db.rows("SELECT count(*) FROM log") == [["3"]])
        #expect(try db.rows("SELECT id FROM big ORDER BY id") == [["2"], ["3"]])
        #expect(try db.rows("SELECT sum(amount) FROM orders") == [["66"]])
    }

    @Test func cascadingChildrenAreNotTouchedWhenTheParentIsRebuilt() async throws {
        let db = try TestDatabase()
        try db.execute(
            """
            PRAGMA foreign_keys = ON;
            CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);
            CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id) ON DELETE CASCADE);
            INSERT INTO users VALUES (1, 'a'), (2, 'b');
            INSERT INTO orders VALUES (10, 1), (11, 2);
            """)
        try await db.apply("ALTER TABLE users ALTER COLUMN email SET NOT NULL")
        #expect(try db.rows("SELECT count(*) FROM orders") == [["2"]])
        #expect(try db.rows("SELECT sql FROM sqlite_schema WHERE name = 'orders'")[0][0].contains("REFERENCES users"))
    }

    @Test func droppingAnIndexedColumnDropsItsIndexes() async throws {
        let db = try TestDatabase()
        try db.execute(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT); CREATE INDEX t_a ON t (a); CREATE INDEX t_b ON t (b); INSERT INTO t VALUES (1, 'x', 'y');"
        )
        let plans = try await db.apply("ALTER TABLE t DROP COLUMN a")
        #expect(plans.map(\.strategy) == [.rebuild])
        #expect(try db.rows("SELECT name FROM sqlite_schema WHERE type = 'index'") == [["t_b"]])
        #expect(try db.rows("SELECT * FROM t") == [["1", "y"]])
    }

    @Test func unindexedColumnDropsInPlace() async throws {
        let db = try TestDatabase()
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT)")
        #expect(try await db.apply("ALTER TABLE t DROP COLUMN a").map(\.strategy) == [.native])
    }

    @Test(arguments: [
        ("CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT UNIQUE)", "t_email_key", "UNIQUE"),
        ("CREATE TABLE t (id INTEGER PRIMARY KEY, n INT CHECK (n > 0))", "t_n_check", "CHECK"),
        ("CREATE TABLE t (id INTEGER PRIMARY KEY, p INT REFERENCES t (id))", "t_p_fkey", "REFERENCES"),
        ("CREATE TABLE t (id INTEGER, n INT, CONSTRAINT named_ck CHECK (n > 0))", "named_ck", "CHECK"),
    ])
    func dropConstraintFindsPostgresNames(create: String, name: String, gone: String) async throws {
        let db = try TestDatabase()
        try db.execute(create)
        try await db.apply("ALTER TABLE t DROP CONSTRAINT \(name)")
        #expect(!(try db.rows("SELECT sql FROM sqlite_schema WHERE name = 't'")[0][0].contains(gone)))
    }

    @Test func addedUniqueConstraintIsEnforced() async throws {
        let db = try TestDatabase()
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO t VALUES (1, 'a');")
        try await db.apply("ALTER TABLE t ADD CONSTRAINT t_email_key UNIQUE (email)")
        #expect(throws: (any Error).self) { try db.execute("INSERT INTO t VALUES (2, 'a')") }
    }

    @Test func setDefaultAndDropDefault() async throws {
        let db = try TestDatabase()
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT)")
        try await db.apply("ALTER TABLE t ALTER COLUMN s SET DEFAULT 'new'")
        try db.execute("INSERT INTO t (id) VALUES (1)")
        try await db.apply("ALTER TABLE t ALTER COLUMN s DROP DEFAULT", version: 2)
        try db.execute("INSERT INTO t (id) VALUES (2)")
        #expect(try db.rows("SELECT s FROM t ORDER BY id") == [["new"], ["NULL"]])
    }
}
