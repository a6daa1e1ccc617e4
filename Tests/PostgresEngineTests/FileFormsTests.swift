import SQLSyntax
import Testing

@testable import PostgresEngine

/// What a planned file's own statements tell the engine (`FileForms`).
@Suite struct FileFormsTests {
    @Test(arguments: [
        ("SET lock_timeout = '50ms'", 0.05), ("SET lock_timeout TO 2000", 2.0), ("SET SESSION lock_timeout = '1s'", 1.0),
        ("SET LOCAL lock_timeout = '1min'", 60.0), ("set lock_timeout = '0'", Double.infinity),
    ])
    func readsLockTimeouts(_ sql: String, _ seconds: Double) throws {
        guard case .other(let statement) = try Parser.parse(sql)[0].statement else { throw Unexpected() }
        #expect(FileForms.lockTimeout(statement) == seconds)
    }

    @Test func othersAreNotLockTimeouts() throws {
        for sql in ["SET statement_timeout = '5s'", "SET lock_timeout = DEFAULT", "SET lock_timeout = '5 fortnights'"] {
            guard case .other(let statement) = try Parser.parse(sql)[0].statement else { throw Unexpected() }
            #expect(FileForms.lockTimeout(statement) == nil, "\(sql)")
        }
    }

    /// A validated `CHECK (c IS NOT NULL)` proves the column for the statements after the
    /// validation, until the check is dropped; a NOT VALID one proves nothing.
    @Test func provenNotNullFollowsTheCheck() throws {
        let statements = try Parser.parse(
            """
            ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
            ALTER TABLE users ALTER COLUMN email SET NOT NULL;
            ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;
            ALTER TABLE users ALTER COLUMN email SET NOT NULL;
            ALTER TABLE users DROP CONSTRAINT users_email_not_null;
            ALTER TABLE users ALTER COLUMN email SET NOT NULL;
            ALTER TABLE orgs ADD CONSTRAINT c CHECK ((name IS NOT NULL));
            ALTER TABLE orgs ALTER COLUMN name SET NOT NULL;
            """)
        let proven = FileForms.provenNotNull(statements.map(\.statement))
        let email = CatalogFacts.key(QualifiedName(name: "users"), "email")
        #expect(proven.map { $0.contains(email) } == [false, false, false, true, true, false, false, false])
        #expect(proven[7] == [CatalogFacts.key(QualifiedName(name: "orgs"), "name")])

        // Proven, SET NOT NULL runs as written: no check of its own.
        var chooser = PostgresStrategyChooser(facts: StrategyTests.facts(), dialect: PostgresDialect())
        chooser.provenNotNull = proven[3]
        let strategy = try chooser.choose(statements[3].statement)
        #expect(strategy.steps.map(\.sql) == ["ALTER TABLE users ALTER COLUMN email SET NOT NULL"])
        chooser.provenNotNull = proven[1]
        #expect(try chooser.choose(statements[1].statement).steps.count == 4)
    }

    struct Unexpected: Error {}
}
