import SQLSyntax
import SchemaModel
import Testing

@testable import SQLiteEngine

@Suite struct SQLiteDialectTests {
    let dialect = SQLiteDialect()

    func render(_ sql: String) throws -> String {
        dialect.renderTokens(try Lexer.tokenize(sql))
    }

    @Test(arguments: [
        ("amount::DECIMAL", "CAST(amount AS DECIMAL)"),
        ("price::numeric(10,2) * 2", "CAST(price AS NUMERIC(10,2)) * 2"),
        ("lower(name)::text || 'x'", "CAST(lower(name) AS TEXT) || 'x'"),
        ("o.total::double precision", "CAST(o.total AS DOUBLE PRECISION)"),
        ("(a + b)::int::text", "CAST(CAST((a + b) AS INTEGER) AS TEXT)"),
        ("'{}'::jsonb", "CAST('{}' AS TEXT)"),
        ("now()", "CURRENT_TIMESTAMP"),
        ("x IS NOT NULL", "x IS NOT NULL"),
    ])
    func castsBecomeCast(input: String, output: String) throws {
        #expect(try render(input) == output)
    }

    @Test func typesMapWhereAffinityWouldBeWrong() {
        #expect(dialect.render(DataType(name: "uuid")) == "TEXT")
        #expect(dialect.render(DataType(name: "jsonb")) == "TEXT")
        #expect(dialect.render(DataType(name: "bytea")) == "BLOB")
        #expect(dialect.render(DataType(name: "serial")) == "INTEGER")
        #expect(dialect.render(DataType(name: "varchar", arguments: ["255"])) == "VARCHAR(255)")
        #expect(dialect.render(DataType(name: "timestamp with time zone")) == "TIMESTAMP WITH TIME ZONE")
    }

    @Test func identifiersAreQuotedWhenNeeded() {
        #expect(dialect.quote("users") == "users")
        #expect(dialect.quote("order") == "\"order\"")
        #expect(dialect.quote("weird \"name") == "\"weird \"\"name\"")
        #expect(dialect.quote("Users") == "\"Users\"")
    }
}
