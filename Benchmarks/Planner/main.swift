// Load + introspect + plan for a large schema (issue 3's benchmark).
//
//   swift build -c release --product PlannerBenchmark && .build/release/PlannerBenchmark [--tables 1000] [--columns 20] [--changed 0.1] [--runs 5]
//
// Builds a SQLite database with `tables` x `columns` (through the migrate executor), writes
// a desired state in which a `changed` share of the tables differ (a new column, a type
// change, a new index, a dropped column, in turn), then times `plan` without writing:
// loading the YAML, introspecting the database, diffing and ordering. Prints each part.
import Foundation
import MigrationKit
import SQLiteEngine
import SchemaDiff
import SchemaModel
import SchemaYAML

struct Options {
    var tables = 1000
    var columns = 20
    var changed = 0.1
    var runs = 5

    init(_ arguments: [String]) {
        var i = 0
        while i + 1 < arguments.count {
            let value = arguments[i + 1]
            switch arguments[i] {
            case "--tables": tables = Int(value) ?? tables
            case "--columns": columns = Int(value) ?? columns
            case "--changed": changed = Double(value) ?? changed
            case "--runs": runs = Int(value) ?? runs
            default: break
            }
            i += 2
        }
    }
}

func schema(tables: Int, columns: Int) -> Schema {
    let types = ["integer", "text", "varchar(100)", "real", "timestamp", "boolean", "decimal(10,2)", "bigint"]
    var schema = Schema()
    for t in 0..<tables {
        var table = Table(name: "table_\(t)")
        table.columns.append(Column(name: "id", type: DataType(name: "integer")))
        table.primaryKey = PrimaryKey(columns: ["id"])
        for c in 1..<columns {
            let type = types[(t + c) % types.count]
            let (name, arguments) =
                type.contains("(")
                ? (String(type.prefix { $0 != "(" }), type.drop { $0 != "(" }.dropFirst().dropLast().split(separator: ",").map(String.init))
                : (type, [])
            var column = Column(name: "col_\(c)", type: DataType(name: name, arguments: arguments), nullable: c % 3 != 0)
            if c % 5 == 0 { column.defaultValue = name == "text" || name == "varchar" ? "'x'" : "0" }
            table.columns.append(column)
        }
        table.indexes.append(TableIndex(name: "idx_\(t)_col_1", keys: [.column("col_1")]))
        if t > 0 {
            table.columns.append(Column(name: "parent_id", type: DataType(name: "integer")))
            table.foreignKeys.append(
                ForeignKey(name: "fk_\(t)_parent", columns: ["parent_id"], referencedTable: "table_\(t - 1)", referencedColumns: ["id"]))
        }
        schema.tables.append(table)
    }
    return schema
}

func changed(_ schema: Schema, share: Double) -> Schema {
    var desired = schema
    let every = max(1, Int((1 / share).rounded()))
    for t in stride(from: 0, to: desired.tables.count, by: every) {
        switch (t / every) % 4 {
        case 0: desired.tables[t].columns.append(Column(name: "added", type: DataType(name: "text")))
        case 1: desired.tables[t].columns[2].type = DataType(name: "text")
        case 2: desired.tables[t].indexes.append(TableIndex(name: "idx_\(t)_added", keys: [.column("col_2"), .column("col_3")]))
        default: desired.tables[t].columns.remove(at: 4)
        }
    }
    return desired
}

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let root = FileManager.default.temporaryDirectory.appendingPathComponent("planner-bench-\(UUID().uuidString)").path
try FileManager.default.createDirectory(atPath: root + "/schema", withIntermediateDirectories: true)
try FileManager.default.createDirectory(atPath: root + "/migrations", withIntermediateDirectories: true)
var configuration = MigrationConfiguration(migrationsDirectory: root + "/migrations", database: .sqlite(path: root + "/app.db"))
configuration.schemaPath = root + "/schema"

let current = schema(tables: options.tables, columns: options.columns)
try SchemaText.yaml(current).write(toFile: root + "/schema/app.yaml", atomically: true, encoding: .utf8)
let setup = try DeclarativeWorkflow(configuration: configuration)
let setupTime = try await seconds {
    _ = try await setup.plan(name: "setup", allowDestructive: false, write: true)
    try await MigrationExecutor(configuration: configuration).migrateUp()
}
let desired = changed(current, share: options.changed)
try SchemaText.yaml(desired).write(toFile: root + "/schema/app.yaml", atomically: true, encoding: .utf8)
print(
    "schema: \(options.tables) tables x \(options.columns) columns, \(Int(options.changed * 100))% of tables changed; setup (plan + up from empty) \(String(format: "%.2f", setupTime)) s"
)

var totals: [Double] = []
var steps = 0
for _ in 0..<options.runs {
    let workflow = try DeclarativeWorkflow(configuration: configuration)
    totals.append(
        try await seconds {
            steps = try await workflow.plan(name: nil, allowDestructive: true, write: false).plan.steps.count
        })
}
let engine = try SQLiteEngine(path: root + "/app.db", readOnly: true)
var load = 0.0
var introspect = 0.0
var diff = 0.0
var loaded = Schema()
var live = Schema()
load = try await seconds { loaded = try DesiredStateLoader.load(root + "/schema").0 }
introspect = try await seconds { live = try await engine.introspect() }
diff = await seconds {
    steps = Planner(comparator: SchemaComparator(dialect: engine.sqlDialect), engine: engine.capabilities).plan(from: live, to: loaded).steps.count
}
totals.sort()
print(
    String(
        format: "plan (load + introspect + diff, no write): min %.3f s, median %.3f s over %d runs; %d steps", totals[0], totals[totals.count / 2],
        totals.count, steps))
print(String(format: "parts of one run: load YAML %.3f s, introspect %.3f s, diff + order + render %.3f s", load, introspect, diff))
try? FileManager.default.removeItem(atPath: root)
