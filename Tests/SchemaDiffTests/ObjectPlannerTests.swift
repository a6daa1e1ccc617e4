import SQLSyntax
import SchemaDiff
import SchemaModel
import Testing

@Suite struct ObjectPlannerTests {
    let planner = Planner(comparator: SchemaComparator(dialect: MigrationFileDialect()), engine: InPlaceEngine())

    func schema(_ sql: String) throws -> Schema {
        var interpreter = SchemaInterpreter()
        try interpreter.apply(try Parser.parse(sql))
        return interpreter.schema
    }

    @Test func prerequisitesBeforeTablesAndDependentsAfter() throws {
        let desired = try schema(
            """
            CREATE VIEW b AS SELECT * FROM a;
            CREATE VIEW a AS SELECT id FROM t;
            CREATE TABLE t (id integer, m mood);
            CREATE TYPE mood AS ENUM ('x');
            CREATE FUNCTION total() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM t';
            """)
        let plan = planner.plan(from: Schema(), to: desired)
        #expect(plan.steps.map(\.comment) == ["Create type mood", "Create table t", "Create function total()", "Create view a", "Create view b"])
        #expect(
            plan.steps.reversed().map { $0.down.first ?? "" } == [
                "DROP VIEW b", "DROP VIEW a", "DROP FUNCTION total()", "DROP TABLE t", "DROP TYPE mood",
            ])
    }

    @Test func aReplacedObjectTakesWhatUsesItWithIt() throws {
        let current = try schema(
            "CREATE TABLE t (id integer); CREATE VIEW a AS SELECT id FROM t; CREATE VIEW b AS SELECT id FROM a; COMMENT ON VIEW b IS 'x';")
        let desired = try schema(
            "CREATE TABLE t (id integer); CREATE VIEW a AS SELECT id, 1 AS one FROM t; CREATE VIEW b AS SELECT id FROM a; COMMENT ON VIEW b IS 'x';")
        #expect(
            planner.plan(from: current, to: desired).steps.map(\.comment) == [
                "Remove comment on view b for now: it uses view b, which is dropped and created again (created again in step 6)",
                "Drop view b for now: it uses view a, which is dropped and created again (created again in step 5)", "Drop view a",
                "Create view a", "Create view b again (dropped in step 2)", "Set comment on view b again (dropped in step 1)",
            ])
    }

    @Test func enumValuesAddInPlaceAndRemovalsRecreateTheType() throws {
        let two = try schema("CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE TABLE p (m mood);")
        let three = try schema("CREATE TYPE mood AS ENUM ('sad', 'meh', 'ok'); CREATE TABLE p (m mood);")
        let up = planner.plan(from: two, to: three)
        #expect(up.steps.map(\.up) == [["ALTER TYPE mood ADD VALUE 'meh' AFTER 'sad'"]])
        #expect(up.steps[0].safety == .instant)
        #expect(up.steps[0].downCaveat?.contains("cannot undo this in place") == true)
        let back = planner.plan(from: three, to: two)
        #expect(back.steps[0].safety == .blocking)
        #expect(back.steps[0].up.first == "ALTER TYPE mood RENAME TO mood__old")
        #expect(back.steps[0].up.contains("ALTER TABLE p ALTER COLUMN m TYPE mood USING m::text::mood"))
    }

    @Test func functionsChangeInPlaceUnlessTheirResultChanges() throws {
        let current = try schema("CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS 'SELECT 1';")
        let body = try schema("CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS 'SELECT 2';")
        let result = try schema("CREATE FUNCTION f() RETURNS bigint LANGUAGE sql AS 'SELECT 2';")
        #expect(
            planner.plan(from: current, to: body).steps.map(\.up) == [["CREATE OR REPLACE FUNCTION f() RETURNS integer LANGUAGE sql AS 'SELECT 2'"]])
        #expect(planner.plan(from: current, to: result).steps.map(\.comment) == ["Drop function f()", "Create function f()"])
    }

    @Test func nvarcharWidensLikeVarchar() {
        #expect(TypeWidening.isWidening(from: DataType(name: "nvarchar", arguments: ["20"]), to: DataType(name: "NVARCHAR", arguments: ["40"])))
        #expect(!TypeWidening.isWidening(from: DataType(name: "nvarchar", arguments: ["40"]), to: DataType(name: "nvarchar", arguments: ["20"])))
    }
}
