import Foundation
import Testing

/// Every snippet of the seed's "SQL Syntax" and "Common Migration Patterns" sections,
/// applied up then down on a real SQLite file, with rows preserved.
@Suite struct SeedPatternTests {
    struct Pattern: CustomTestStringConvertible, Sendable {
        var name: String
        var up: String
        var down: String
        /// A query whose answer shows the up migration took effect.
        var effect: String
        var expected: [[String]]
        var testDescription: String { name }
    }

    static let setup = """
        CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, username TEXT, old_field TEXT, old_name TEXT);
        CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, amount INTEGER, price INTEGER);
        CREATE INDEX idx_old_index ON users (old_name);
        INSERT INTO users (email, username, old_field, old_name) VALUES ('a@x', 'a', 'f1', 'A'), ('b@x', 'b', 'f2', 'B'), ('c@x', 'c', NULL, 'C');
        INSERT INTO orders (user_id, amount, price) VALUES (1, 10, 100), (1, 20, 200), (2, 5, 50), (3, 7, 70);
        """

    static let patterns: [Pattern] = [
        Pattern(
            name: "non-blocking column addition",
            up: "ALTER TABLE users ADD COLUMN status TEXT DEFAULT 'active' CONCURRENTLY;",
            down: "ALTER TABLE users DROP COLUMN status CONCURRENTLY;",
            effect: "SELECT DISTINCT status FROM users", expected: [["active"]]),
        Pattern(
            name: "non-blocking column removal",
            up: "ALTER TABLE users DROP COLUMN old_field CONCURRENTLY;",
            down: "ALTER TABLE users ADD COLUMN old_field TEXT;",
            effect: "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'old_field'", expected: [["0"]]),
        Pattern(
            name: "concurrent index creation",
            up: "CREATE INDEX CONCURRENTLY idx_users_email ON users(email);",
            down: "DROP INDEX CONCURRENTLY idx_users_email;",
            effect: "SELECT name FROM sqlite_schema WHERE name = 'idx_users_email'", expected: [["idx_users_email"]]),
        Pattern(
            name: "concurrent unique index creation",
            up: "CREATE UNIQUE INDEX CONCURRENTLY idx_users_username ON users(username);",
            down: "DROP INDEX CONCURRENTLY idx_users_username;",
            effect: "SELECT \"unique\" FROM pragma_index_list('users') WHERE name = 'idx_users_username'", expected: [["1"]]),
        Pattern(
            name: "concurrent index removal",
            up: "DROP INDEX CONCURRENTLY idx_old_index;",
            down: "CREATE INDEX idx_old_index ON users (old_name);",
            effect: "SELECT count(*) FROM sqlite_schema WHERE name = 'idx_old_index'", expected: [["0"]]),
        Pattern(
            name: "type change with USING (amount)",
            up: "ALTER TABLE orders \n  ALTER COLUMN amount TYPE DECIMAL(10,2) \n  USING amount::DECIMAL \n  CONCURRENTLY;",
            down: "ALTER TABLE orders \n  ALTER COLUMN amount TYPE INTEGER \n  USING amount::INTEGER \n  CONCURRENTLY;",
            effect: "SELECT type FROM pragma_table_info('orders') WHERE name = 'amount'", expected: [["DECIMAL(10,2)"]]),
        Pattern(
            name: "changing column type (price)",
            up: "ALTER TABLE orders \n  ALTER COLUMN price TYPE DECIMAL(10,2) \n  USING price::DECIMAL \n  CONCURRENTLY;",
            down: "ALTER TABLE orders \n  ALTER COLUMN price TYPE INTEGER \n  USING price::INTEGER \n  CONCURRENTLY;",
            effect: "SELECT type FROM pragma_table_info('orders') WHERE name = 'price'", expected: [["DECIMAL(10,2)"]]),
        Pattern(
            name: "adding a foreign key",
            up: "ALTER TABLE orders ADD CONSTRAINT fk_user_id \n  FOREIGN KEY (user_id) REFERENCES users(id);",
            down: "ALTER TABLE orders DROP CONSTRAINT fk_user_id;",
            effect: "SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('orders')", expected: [["users", "user_id", "id"]]),
        Pattern(
            name: "renaming a column",
            up: "ALTER TABLE users RENAME COLUMN old_name TO new_name;",
            down: "ALTER TABLE users RENAME COLUMN new_name TO old_name;",
            effect: "SELECT new_name FROM users ORDER BY id", expected: [["A"], ["B"], ["C"]]),
    ]

    /// Counts and sums that must be equal before and after.
    static let invariants = """
        SELECT (SELECT count(*) FROM users), (SELECT group_concat(email) FROM users), (SELECT group_concat(username) FROM users),
               (SELECT count(*) FROM orders), (SELECT sum(amount) FROM orders), (SELECT sum(price) FROM orders),
               (SELECT group_concat(user_id) FROM orders), (SELECT max(rowid) FROM orders)
        """

    /// Columns and types by name (a column dropped and added back comes last, as in PostgreSQL).
    static let shape = """
        SELECT m.name, p.name, p.type FROM sqlite_schema m, pragma_table_info(m.name) p
        WHERE m.type = 'table' AND m.name IN ('users', 'orders') ORDER BY m.name, p.name
        """

    @Test(arguments: patterns)
    func appliesUpAndDownKeepingRows(pattern: Pattern) throws {
        let ws = try Workspace()
        try ws.execute(Self.setup)
        let rowsBefore = try ws.rows(Self.invariants)
        let shapeBefore = try ws.rows(Self.shape)
        let indexesBefore = try ws.rows("SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name")
        try ws.migration("001", "pattern", up: pattern.up, down: pattern.down)

        let up = try ws.migrate("up")
        #expect(up.status == 0, "\(up.output)")
        #expect(try ws.rows(pattern.effect) == pattern.expected)
        #expect(try ws.rows(Self.invariants) == rowsBefore)

        let down = try ws.migrate("down", "--count", "1")
        #expect(down.status == 0, "\(down.output)")
        #expect(try ws.rows(Self.invariants) == rowsBefore)
        #expect(try ws.rows(Self.shape) == shapeBefore)
        #expect(try ws.rows("SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name") == indexesBefore)
    }
}
