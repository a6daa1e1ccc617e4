import SQLSyntax
import SchemaModel
import Testing

@testable import SchemaDiff

/// Where the engine writes its own online forms (PostgreSQL), a planned file holds the
/// statements the engine runs: NOT VALID then VALIDATE, SET NOT NULL through a validated
/// check, keys through a concurrent unique index; the suffix only on a rewriting type change.
@Suite struct OnlineFormTests {
    let planner = Planner(comparator: SchemaComparator(dialect: MigrationFileDialect()), engine: SpelledOutEngine())

    func table(_ sql: String) throws -> Schema {
        var interpreter = SchemaInterpreter()
        try interpreter.apply(try Parser.parse(sql), file: "t.sql")
        return interpreter.schema
    }

    @Test func changesToAnExistingTableAreSpelledOut() throws {
        let current = try table(
            "CREATE TABLE orgs (id bigint PRIMARY KEY); CREATE TABLE users (id bigint NOT NULL, org_id bigint, email varchar(50), age int);")
        let desired = try table(
            """
            CREATE TABLE orgs (id bigint PRIMARY KEY);
            CREATE TABLE users (id bigint NOT NULL, org_id bigint REFERENCES orgs (id), email varchar(100) NOT NULL, age bigint CHECK (age > 0),
              UNIQUE (email));
            """)
        let plan = planner.plan(from: current, to: desired)
        #expect(
            plan.steps.flatMap(\.up) == [
                "ALTER TABLE users ALTER COLUMN email TYPE varchar(100)",
                "ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID",
                "ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null",
                "ALTER TABLE users ALTER COLUMN email SET NOT NULL",
                "ALTER TABLE users DROP CONSTRAINT users_email_not_null",
                "ALTER TABLE users ALTER COLUMN age TYPE bigint USING age::bigint CONCURRENTLY",
                "CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email)",
                "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key",
                "ALTER TABLE users ADD CONSTRAINT users_age_check CHECK (age > 0) NOT VALID",
                "ALTER TABLE users VALIDATE CONSTRAINT users_age_check",
                "ALTER TABLE users ADD CONSTRAINT users_org_id_fkey FOREIGN KEY (org_id) REFERENCES orgs (id) NOT VALID",
                "ALTER TABLE users VALIDATE CONSTRAINT users_org_id_fkey",
            ])
        #expect(plan.upSQL.hasPrefix("-- Each lock below is tried this long at a time"))
        #expect(plan.upSQL.contains("\nSET lock_timeout = '50ms';\n"))
        #expect(plan.downSQL.contains("\nSET lock_timeout = '50ms';\n"))

        // The replayed file builds the desired table: the forms are understood, not passed through.
        var interpreter = SchemaInterpreter(current)
        try interpreter.apply(try Parser.parse(plan.upSQL), file: "up.sql")
        #expect(planner.plan(from: interpreter.schema, to: desired).isEmpty)
    }

    @Test func aRewritingTypeChangeKeepsTheSuffix() throws {
        let current = try table("CREATE TABLE t (id bigint PRIMARY KEY, n text);")
        let desired = try table("CREATE TABLE t (id bigint PRIMARY KEY, n integer);")
        #expect(
            planner.plan(from: current, to: desired).steps.flatMap(\.up) == [
                "ALTER TABLE t ALTER COLUMN n TYPE integer USING n::integer CONCURRENTLY"
            ])
    }

    @Test func anEmptyPlanHasNoPreamble() {
        #expect(planner.plan(from: Schema(), to: Schema()).upSQL == "")
    }
}

extension OnlineFormTests {
    /// Two unnamed checks on one column get PostgreSQL's numbered names, not the same one.
    @Test func unnamedChecksOnOneColumnAreNumbered() throws {
        let current = try table("CREATE TABLE t (id bigint PRIMARY KEY, price int);")
        let desired = try table("CREATE TABLE t (id bigint PRIMARY KEY, price int CHECK (price > 0) CHECK (price < 1000));")
        let adds = planner.plan(from: current, to: desired).steps.flatMap(\.up).filter { $0.contains("NOT VALID") }
        #expect(
            adds == [
                "ALTER TABLE t ADD CONSTRAINT t_price_check CHECK (price > 0) NOT VALID",
                "ALTER TABLE t ADD CONSTRAINT t_price_check1 CHECK (price < 1000) NOT VALID",
            ])
    }
}
