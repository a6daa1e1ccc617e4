import SQLSyntax
import SchemaDiff
import SchemaModel
import Testing

@Suite struct PlannerTests {
    let planner = Planner(comparator: SchemaComparator(dialect: MigrationFileDialect()), engine: RebuildingEngine())

    func table(_ name: String, _ columns: [String], fks: [ForeignKey] = []) -> Table {
        Table(
            name: name, columns: columns.map { Column(name: $0, type: DataType(name: "integer")) },
            primaryKey: PrimaryKey(columns: [columns[0]]), foreignKeys: fks)
    }

    @Test func emptyWhenEqual() {
        let schema = Schema(tables: [table("a", ["id"])])
        #expect(planner.plan(from: schema, to: schema).isEmpty)
    }

    @Test func spellingsOfOneTypeAreNotADifference() {
        var a = Table(name: "t", columns: [Column(name: "x", type: DataType(name: "int"), defaultValue: "(0)")])
        let b = Table(name: "t", columns: [Column(name: "x", type: DataType(name: "INTEGER"), defaultValue: "0")])
        #expect(planner.plan(from: Schema(tables: [a]), to: Schema(tables: [b])).isEmpty)
        a.columns[0].type = DataType(name: "bigint")
        #expect(!planner.plan(from: Schema(tables: [a]), to: Schema(tables: [b])).isEmpty)
    }

    @Test func renamedFromIsARenameNotDropAndAdd() {
        let current = Schema(tables: [table("people", ["id", "name"])])
        var desired = table("persons", ["id", "full_name"])
        desired.renamedFrom = "people"
        desired.columns[1].renamedFrom = "name"
        let plan = planner.plan(from: current, to: Schema(tables: [desired]))
        #expect(plan.steps.map(\.up) == [["ALTER TABLE people RENAME TO persons"], ["ALTER TABLE persons RENAME COLUMN name TO full_name"]])
        #expect(plan.steps.allSatisfy { $0.safety == .instant })
    }

    @Test func referencingTablesDropFirstAndReferencedCreateFirst() {
        let parent = table("parent", ["id"])
        let child = table(
            "child", ["id", "parent_id"], fks: [ForeignKey(columns: ["parent_id"], referencedTable: "parent", referencedColumns: ["id"])])
        let create = planner.plan(from: Schema(), to: Schema(tables: [child, parent]))
        #expect(create.steps.map(\.comment) == ["Create table parent", "Create table child"])
        let drop = planner.plan(from: Schema(tables: [parent, child]), to: Schema())
        #expect(drop.steps.map(\.comment) == ["Drop table child", "Drop table parent"])
        #expect(drop.destructiveSteps.count == 2)
        #expect(drop.steps[0].downCaveat != nil)
    }

    @Test func cyclesAreBrokenWithSeparateForeignKeys() {
        let a = table("a", ["id", "b_id"], fks: [ForeignKey(columns: ["b_id"], referencedTable: "b", referencedColumns: ["id"])])
        let b = table("b", ["id", "a_id"], fks: [ForeignKey(columns: ["a_id"], referencedTable: "a", referencedColumns: ["id"])])
        let create = planner.plan(from: Schema(), to: Schema(tables: [a, b]))
        #expect(create.steps.map(\.comment) == ["Create table a", "Create table b", "Add foreign key a(b_id) -> b(id)"])
        #expect(!create.steps[2].up[0].contains("CONCURRENTLY"))
        let drop = planner.plan(from: Schema(tables: [a, b]), to: Schema())
        #expect(drop.steps.map(\.comment) == ["Drop foreign key b_a_id_fkey", "Drop table a", "Drop table b"])
    }

    @Test func indexesAndConstraintsDropBeforeTheirColumns() {
        var current = table("t", ["id", "a"])
        current.indexes = [TableIndex(name: "idx_a", keys: [.column("a")])]
        current.uniques = [UniqueConstraint(columns: ["a"])]
        let plan = planner.plan(from: Schema(tables: [current]), to: Schema(tables: [table("t", ["id"])]))
        #expect(plan.steps.map(\.comment) == ["Drop unique constraint t_a_key", "Drop index idx_a on t", "Drop column t.a"])
    }

    @Test func concurrentlyOnExistingTablesOnly() {
        var desired = table("t", ["id", "a"])
        desired.indexes = [TableIndex(name: "idx_a", keys: [.column("a")])]
        let existing = planner.plan(from: Schema(tables: [table("t", ["id", "a"])]), to: Schema(tables: [desired]))
        #expect(existing.steps.map(\.up) == [["CREATE INDEX CONCURRENTLY idx_a ON t (a)"]])
        #expect(existing.steps[0].safety == .online)
        let new = planner.plan(from: Schema(), to: Schema(tables: [desired]))
        #expect(new.steps[0].up.last == "CREATE INDEX idx_a ON t (a)")
    }

    @Test func narrowingIsDestructiveWideningIsNot() {
        let narrow = Table(name: "t", columns: [Column(name: "x", type: DataType(name: "varchar", arguments: ["10"]))])
        let wide = Table(name: "t", columns: [Column(name: "x", type: DataType(name: "text"))])
        #expect(planner.plan(from: Schema(tables: [narrow]), to: Schema(tables: [wide])).steps[0].safety == .online)
        #expect(planner.plan(from: Schema(tables: [wide]), to: Schema(tables: [narrow])).steps[0].safety == .destructive)
    }

    @Test func downFileRunsInversesInReverseOrder() {
        let plan = planner.plan(from: Schema(tables: [table("t", ["id"])]), to: Schema(tables: [table("t", ["id", "a", "b"])]))
        #expect(plan.downSQL.contains("-- Undo 2. Add column t.b\nALTER TABLE t DROP COLUMN b CONCURRENTLY;\n\n-- Undo 1. Add column t.a"))
        #expect(plan.upSQL.hasPrefix("-- 1. Add column t.a [instant]\nALTER TABLE t ADD COLUMN a integer CONCURRENTLY;"))
    }
}
