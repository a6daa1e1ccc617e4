import SchemaModel
import Testing

@testable import PostgresEngine

@Suite struct PostgresURLTests {
    @Test func readsEveryPart() throws {
        let url = try PostgresURL(parsing: "postgresql://app:p%40ss@db.example.com:6543/shop?sslmode=require&search_path=billing", environment: [:])
        #expect(url.user == "app")
        #expect(url.password == "p@ss")
        #expect(url.host == "db.example.com")
        #expect(url.port == 6543)
        #expect(url.database == "shop")
        #expect(url.sslMode == .require)
        #expect(url.schema == "billing")
        #expect(!url.description.contains("p@ss"))
        #expect(url.description.contains("app:***@db.example.com:6543/shop"))
    }

    @Test func defaultsAsLibpq() throws {
        let url = try PostgresURL(parsing: "postgres://10.0.0.1", environment: ["USER": "ann", "PGPASSWORD": "x"])
        #expect(url.user == "ann")
        #expect(url.password == "x")
        #expect(url.port == 5432)
        #expect(url.database == "ann")
        #expect(url.sslMode == .prefer)
        #expect(url.schema == "public")
    }

    @Test func readsIPv6AndSocketHosts() throws {
        let v6 = try PostgresURL(parsing: "postgres://u@[::1]:5433/d", environment: [:])
        #expect(v6.host == "::1")
        #expect(v6.port == 5433)
        let socket = try PostgresURL(parsing: "postgres://u@/d?host=/tmp/pg", environment: [:])
        #expect(socket.host == nil)
        #expect(socket.socketPath == "/tmp/pg/.s.PGSQL.5432")
    }

    @Test(arguments: [
        ("postgres://u@h:notaport/d", "port 'notaport'"),
        ("postgres://u@h/d?sslmode=always", "sslmode=always"),
        ("postgres://u@h/d?color=red", "unknown parameter 'color'"),
        ("postgres://u@[::1/d", "expected ]"),
        ("mysql://u@h/d", "expected postgres://"),
    ])
    func refusesBadURLsSayingWhatWasExpected(text: String, message: String) {
        #expect {
            _ = try PostgresURL(parsing: text, environment: [:])
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}

@Suite struct TypeCoercionTests {
    @Test(arguments: [
        ("character varying(50)", "varchar(100)", true),
        ("character varying(100)", "varchar(50)", false),
        ("character varying(50)", "text", true),
        ("text", "varchar", true),
        ("text", "varchar(10)", false),
        ("numeric(10,2)", "numeric(12,2)", true),
        ("numeric(10,2)", "numeric(12,3)", false),
        ("integer", "bigint", false),
        ("integer", "int4", true),
    ])
    func knowsWhichChangesSkipTheRewrite(from: String, to: String, coercible: Bool) {
        #expect(TypeCoercion.isBinaryCoercible(from: from, to: to) == coercible)
    }

    @Test func wideningIsSafeToRevert() {
        #expect(TypeCoercion.isWidening(from: "integer", to: "bigint"))
        #expect(!TypeCoercion.isWidening(from: "bigint", to: "integer"))
    }

    /// The engine's undo and the planner's safety class read one rule (`TypeWidening`);
    /// before, the engine said these were not widenings while the planner said they were.
    @Test(arguments: [("date", "timestamp without time zone"), ("integer", "text"), ("character(3)", "character varying(10)")])
    func wideningAgreesWithThePlanner(from: String, to: String) {
        #expect(TypeWidening.isWidening(from: TypeCoercion.parse(from), to: TypeCoercion.parse(to)))
        #expect(TypeCoercion.isWidening(from: from, to: to))
        #expect(!TypeCoercion.isWidening(from: to, to: from))
    }

    @Test func rewritesAreWhatPostgresRewrites() {
        let capabilities = PostgresCapabilities()
        #expect(!capabilities.typeChangeRewrites(from: DataType(name: "varchar", arguments: ["50"]), to: DataType(name: "text")))
        #expect(capabilities.typeChangeRewrites(from: DataType(name: "integer"), to: DataType(name: "bigint")))
        #expect(!capabilities.rebuildsTable(.dropNotNull(column: "a")))
        #expect(capabilities.lintRules.isEmpty)
    }
}

@Suite struct ExpressionCanonicalTests {
    @Test(arguments: [
        ("'active'::text", "'active'"),
        ("'-1'::integer", "-1"),
        ("(status = ANY (ARRAY['active'::text, 'disabled'::text]))", "status IN ('active', 'disabled')"),
        ("((a > 0) AND (b < 10))", "a > 0 AND b < 10"),
        ("nextval('users_id_seq'::regclass)", "nextval('users_id_seq')"),
        ("amount::numeric", "amount::numeric"),
    ])
    func printsCatalogAndUserSpellingsAlike(catalog: String, canonical: String) {
        #expect(PostgresDialect().canonical(.init(sqlText: catalog)) == canonical)
    }

    @Test func displayKeepsMeaningAndParentheses() {
        #expect(PostgresExpressionCanonicalizer.display("((a = 1) OR (b = ANY (ARRAY['x'::text])))") == "((a = 1) OR (b IN ('x')))")
    }

    @Test func userSpellingMatches() {
        let dialect = PostgresDialect()
        #expect(
            dialect.canonical(.init(sqlText: "status in ('active', 'disabled')")).lowercased()
                == dialect.canonical(.init(sqlText: "(status = ANY (ARRAY['active'::text, 'disabled'::text]))")).lowercased())
    }
}
