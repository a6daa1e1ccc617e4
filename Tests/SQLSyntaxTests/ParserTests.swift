import SchemaModel
import Testing

@testable import SQLSyntax

@Suite struct ParserTests {
    func parse(_ sql: String) throws -> SQLStatement {
        let statements = try Parser.parse(sql, file: "test.sql")
        try #require(statements.count == 1)
        return statements[0].statement
    }

    func alter(_ sql: String) throws -> AlterTable {
        guard case .alterTable(let alter) = try parse(sql) else {
            Issue.record("not an ALTER TABLE: \(sql)")
            return AlterTable(table: QualifiedName(name: ""))
        }
        return alter
    }

    // MARK: The seed's snippets

    @Test func addColumnWithDefaultConcurrently() throws {
        let a = try alter("ALTER TABLE users ADD COLUMN status TEXT DEFAULT 'active' CONCURRENTLY;")
        #expect(a.table.name == "users")
        #expect(a.concurrently)
        guard case .addColumn(let column, false) = a.actions.first else {
            Issue.record("\(a.actions)")
            return
        }
        #expect(column.name == "status")
        #expect(column.type == DataType(name: "text"))
        #expect(column.defaultValue?.sql == "'active'")
    }

    @Test func dropColumnConcurrently() throws {
        let a = try alter("ALTER TABLE users DROP COLUMN old_field CONCURRENTLY;")
        #expect(a.concurrently)
        #expect(a.actions == [.dropColumn("old_field", ifExists: false, cascade: false)])
    }

    @Test func createIndexConcurrently() throws {
        guard case .createIndex(let index) = try parse("CREATE UNIQUE INDEX CONCURRENTLY idx_users_username ON users(username);") else {
            Issue.record("not an index")
            return
        }
        #expect(index.unique && index.concurrently)
        #expect(index.name?.name == "idx_users_username")
        #expect(index.table.name == "users")
        #expect(index.columns.map(\.expression.columnName) == ["username"])
    }

    @Test func dropIndexConcurrently() throws {
        #expect(
            try parse("DROP INDEX CONCURRENTLY idx_old_index;")
                == .dropIndex(DropIndex(names: [QualifiedName(name: "idx_old_index")], concurrently: true)))
    }

    @Test func typeChangeWithUsing() throws {
        let a = try alter(
            """
            ALTER TABLE orders
              ALTER COLUMN amount TYPE DECIMAL(10,2)
              USING amount::DECIMAL
              CONCURRENTLY;
            """)
        #expect(a.concurrently)
        guard case .alterColumnType("amount", let type, nil, let using?) = a.actions.first else {
            Issue.record("\(a.actions)")
            return
        }
        #expect(type == DataType(name: "decimal", arguments: ["10", "2"]))
        #expect(using.sql == "amount::DECIMAL")
    }

    @Test func addForeignKeyConstraint() throws {
        let a = try alter("ALTER TABLE orders ADD CONSTRAINT fk_user_id \n  FOREIGN KEY (user_id) REFERENCES users(id);")
        guard case .addConstraint(let constraint) = a.actions.first, case .foreignKey(let columns, let reference) = constraint.kind else {
            Issue.record("\(a.actions)")
            return
        }
        #expect(constraint.name == "fk_user_id")
        #expect(columns == ["user_id"])
        #expect(reference.table.name == "users" && reference.columns == ["id"])
    }

    @Test func renameColumnAndTable() throws {
        #expect(try alter("ALTER TABLE users RENAME COLUMN old_name TO new_name;").actions == [.renameColumn(from: "old_name", to: "new_name")])
        #expect(try alter("ALTER TABLE users RENAME TO people").actions == [.renameTable(to: "people")])
    }

    // MARK: The rest of the DDL

    @Test func createTableWithEveryConstraint() throws {
        guard
            case .createTable(let table) = try parse(
                """
                CREATE TABLE IF NOT EXISTS orders (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE ON UPDATE SET NULL,
                  amount numeric(10, 2) DEFAULT 0 CHECK (amount >= 0),
                  note varchar(255) COLLATE NOCASE,
                  created_at timestamp with time zone DEFAULT now(),
                  tags text[],
                  CONSTRAINT orders_user_amount UNIQUE (user_id, amount),
                  CHECK (amount IS NOT NULL OR note IS NOT NULL)
                ) WITHOUT ROWID, STRICT
                """)
        else {
            Issue.record("not a table")
            return
        }
        #expect(table.ifNotExists)
        #expect(table.columns.map(\.name) == ["id", "user_id", "amount", "note", "created_at", "tags"])
        #expect(table.columns[1].type?.portable == .bigint)
        #expect(table.columns[2].type == DataType(name: "numeric", arguments: ["10", "2"]))
        #expect(table.columns[4].type?.portable == .timestamptz)
        #expect(table.columns[5].type?.arrayDimensions == 1)
        #expect(table.columns[0].constraints.first?.kind == .primaryKey(descending: false, onConflict: nil, autoincrement: true))
        guard case .references(let reference) = table.columns[1].constraints.last?.kind else {
            Issue.record("no reference")
            return
        }
        #expect(reference.onDelete == .cascade && reference.onUpdate == .setNull)
        #expect(table.constraints.count == 2)
        #expect(table.constraints[0].name == "orders_user_amount")
        #expect(table.options == ["WITHOUT ROWID", "STRICT"])
    }

    @Test func defaultStopsAtTheNextConstraint() throws {
        let a = try alter("ALTER TABLE t ADD COLUMN c int DEFAULT -1 NOT NULL")
        guard case .addColumn(let column, _) = a.actions.first else {
            Issue.record("\(a.actions)")
            return
        }
        #expect(column.defaultValue?.sql == "-1")
        #expect(column.isNotNull)
    }

    @Test func alterColumnForms() throws {
        let a = try alter(
            """
            ALTER TABLE t ALTER COLUMN a SET DEFAULT 5, ALTER b DROP DEFAULT, ALTER COLUMN c SET NOT NULL,
              ALTER COLUMN d DROP NOT NULL, ALTER COLUMN e SET DATA TYPE text
            """)
        #expect(a.actions.count == 5)
        #expect(a.actions[1] == .dropDefault(column: "b"))
        #expect(a.actions[2] == .setNotNull(column: "c"))
        #expect(a.actions[3] == .dropNotNull(column: "d"))
    }

    @Test func constraintsAddDropValidate() throws {
        let a = try alter("ALTER TABLE t ADD CONSTRAINT ck CHECK (x > 0) NOT VALID, DROP CONSTRAINT IF EXISTS old CASCADE, VALIDATE CONSTRAINT ck")
        guard case .addConstraint(let check) = a.actions[0] else {
            Issue.record("\(a.actions)")
            return
        }
        #expect(check.notValid)
        #expect(a.actions[1] == .dropConstraint("old", ifExists: true, cascade: true))
        #expect(a.actions[2] == .validateConstraint("ck"))
    }

    @Test func indexWithExpressionsPredicateAndOrder() throws {
        guard
            case .createIndex(let index) = try parse(
                "CREATE INDEX IF NOT EXISTS i ON t (lower(email) DESC, b COLLATE nocase) WHERE deleted_at IS NULL")
        else {
            Issue.record("not an index")
            return
        }
        #expect(index.ifNotExists)
        #expect(index.columns[0].expression.sql == "lower(email)")
        #expect(index.columns[0].descending)
        #expect(index.columns[1].collation == "nocase")
        #expect(index.predicate?.sql == "deleted_at IS NULL")
    }

    @Test func dropTableAndTruncate() throws {
        #expect(
            try parse("DROP TABLE IF EXISTS a, b CASCADE")
                == .dropTable(DropTable(names: [.init(name: "a"), .init(name: "b")], ifExists: true, cascade: true)))
        #expect(try parse("TRUNCATE TABLE a") == .truncate(Truncate(tables: [.init(name: "a")])))
    }

    @Test(arguments: [
        ("INSERT INTO t VALUES (1)", "INSERT"),
        ("CREATE VIEW v AS SELECT 1", "CREATE VIEW"),
        ("CREATE OR REPLACE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql", "CREATE FUNCTION"),
        ("CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END", "CREATE TRIGGER"),
        ("CREATE TABLE t2 AS SELECT * FROM t", "CREATE TABLE"),
        ("ALTER TABLE t OWNER TO bob", "ALTER TABLE"),
        ("DROP VIEW v", "DROP VIEW"),
    ])
    func otherStatementsPassThroughWhole(sql: String, kind: String) throws {
        guard case .other(let other) = try parse(sql) else {
            Issue.record("parsed: \(sql)")
            return
        }
        #expect(other.kind == kind)
        #expect(other.text == sql)
    }

    // MARK: Errors name file:line:column and what was expected

    @Test(arguments: [
        ("ALTER TABLE users ADD COLUMN", "test.sql:1:29: expected column name, found end of statement"),
        ("\n\nALTER TABLE t ALTER COLUMN a TYPE", "test.sql:3:34: expected column type, found end of statement"),
        ("CREATE INDEX i ON t email", "test.sql:1:21: expected '(', found 'email'"),
        (
            "ALTER TABLE t ALTER COLUMN a SET NULL",
            "test.sql:1:30: expected TYPE, SET DEFAULT, DROP DEFAULT, SET NOT NULL or DROP NOT NULL, found 'SET'"
        ),
        ("DROP TABLE t extra", "test.sql:1:14: expected end of statement, found 'extra'"),
        (
            "CREATE TABLE t (a int REFERENCES u ON DELETE EXPLODE)",
            "test.sql:1:46: expected CASCADE, RESTRICT, NO ACTION, SET NULL or SET DEFAULT, found 'EXPLODE'"
        ),
        ("SELECT 1;\nSELECT 'x", "test.sql:2:8: unterminated string; expected closing '"),
    ])
    func errorsNamePlaceAndExpectation(sql: String, message: String) {
        #expect {
            try Parser.parse(sql, file: "test.sql")
        } throws: { error in
            (error as? SQLSyntaxError)?.description == message
        }
    }
}
