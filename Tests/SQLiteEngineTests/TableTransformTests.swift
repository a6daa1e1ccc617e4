import SQLSyntax
import SchemaModel
import Testing

@testable import SQLiteEngine

/// The SQLite rebuild's target table comes from `SchemaInterpreter`: for every action the
/// rebuilt CREATE TABLE reads back as exactly the model the interpreter gives (what
/// `validate`, `plan` and `check` use), and what the action does not touch stays as written.
@Suite struct TableTransformTests {
    static let create = """
        CREATE TABLE t (
          id INT PRIMARY KEY,
          name VARCHAR(20) COLLATE NOCASE NOT NULL ON CONFLICT REPLACE,
          org INTEGER REFERENCES orgs (id),
          score REAL CHECK (score >= 0) DEFAULT 0,
          UNIQUE (name, org),
          CONSTRAINT positive CHECK (id > 0)
        )
        """

    static let actions = [
        "ALTER TABLE t ADD COLUMN note TEXT NOT NULL DEFAULT 'x' UNIQUE",
        "ALTER TABLE t DROP COLUMN org",
        "ALTER TABLE t DROP COLUMN score",
        "ALTER TABLE t ALTER COLUMN score TYPE INTEGER",
        "ALTER TABLE t ALTER COLUMN score SET DEFAULT 1",
        "ALTER TABLE t ALTER COLUMN score DROP DEFAULT",
        "ALTER TABLE t ALTER COLUMN score SET NOT NULL",
        "ALTER TABLE t ALTER COLUMN name DROP NOT NULL",
        "ALTER TABLE t ADD CONSTRAINT big CHECK (score < 100)",
        "ALTER TABLE t DROP CONSTRAINT positive",
        "ALTER TABLE t DROP CONSTRAINT t_name_org_key",
        "ALTER TABLE t DROP CONSTRAINT t_org_fkey",
        "ALTER TABLE t DROP CONSTRAINT t_score_check",
    ]

    static func parse(_ sql: String) throws -> SQLStatement { try Parser.parse(sql)[0].statement }

    @Test(arguments: actions)
    func rebuiltTableIsWhatTheInterpreterSays(_ sql: String) throws {
        guard case .createTable(let create) = try Self.parse(Self.create), case .alterTable(let alter) = try Self.parse(sql) else {
            Issue.record("not parsed")
            return
        }
        let transform = try TableTransform.apply(alter.actions[0], to: create, dialect: SQLiteDialect())
        var interpreter = SchemaInterpreter(Schema(tables: [Table(create)]))
        try interpreter.apply(.alterTable(alter))
        #expect(Self.unordered(Table(transform.table)) == Self.unordered(interpreter.schema.tables[0]))
    }

    /// Constraints in a stable order: an inline one moves ahead of table ones on a rebuild.
    static func unordered(_ table: Table) -> Table {
        var table = table
        table.uniques.sort { "\($0)" < "\($1)" }
        table.checks.sort { "\($0)" < "\($1)" }
        table.foreignKeys.sort { "\($0)" < "\($1)" }
        return table
    }

    @Test func untouchedDeclarationsStayAsWritten() throws {
        guard case .createTable(let create) = try Self.parse(Self.create) else { return }
        let transform = try TableTransform.apply(.setDefault(column: "score", Expr(sqlText: "1")), to: create, dialect: SQLiteDialect())
        let sql = SQLiteDialect().rebuiltTable(transform.table)
        #expect(sql.contains("id INT PRIMARY KEY"), "\(sql)")
        #expect(sql.contains("name VARCHAR(20) COLLATE NOCASE NOT NULL ON CONFLICT REPLACE"), "\(sql)")
        #expect(sql.contains("CONSTRAINT positive CHECK (id > 0)"), "\(sql)")
    }

    /// Before, the rebuild refused a constraint on a missing column while the interpreter
    /// (and so `validate` and `plan`) accepted it; now both refuse it, with one message.
    @Test func constraintOnAMissingColumnIsRefusedByBoth() throws {
        guard case .createTable(let create) = try Self.parse(Self.create),
            case .alterTable(let alter) = try Self.parse("ALTER TABLE t ADD CONSTRAINT u UNIQUE (nope)")
        else { return }
        let message = "column \"nope\" named in the constraint does not exist in table \"t\""
        #expect { try TableTransform.apply(alter.actions[0], to: create, dialect: SQLiteDialect()) } throws: { "\($0)" == message }
        var interpreter = SchemaInterpreter(Schema(tables: [Table(create)]))
        #expect { try interpreter.apply(.alterTable(alter)) } throws: { "\($0)" == message }
    }
}
