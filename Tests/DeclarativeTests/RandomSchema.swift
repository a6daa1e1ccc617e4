import MigrationEngine
import MigrationKit
import SchemaDiff
import SchemaModel

/// A small deterministic generator (SplitMix64) so a failing seed can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random schemas of the kinds the planner supports: every portable type, defaults,
/// NOT NULL, single and composite keys, unique constraints, checks, every index kind,
/// and foreign keys (with actions) to tables generated earlier or to the table itself.
enum RandomSchema {
    static let types: [(DataType, [String])] = [
        (DataType(name: "integer"), ["0", "42", "-1"]),
        (DataType(name: "bigint"), ["0", "7"]),
        (DataType(name: "smallint"), ["1"]),
        (DataType(name: "text"), ["'x'", "''", "'it''s'"]),
        (DataType(name: "varchar", arguments: ["40"]), ["'a'"]),
        (DataType(name: "real"), ["1.5"]),
        (DataType(name: "boolean"), ["true", "false"]),
        (DataType(name: "decimal", arguments: ["10", "2"]), ["0", "9.99"]),
        (DataType(name: "timestamp"), ["CURRENT_TIMESTAMP"]),
        (DataType(name: "date"), ["'2026-01-01'"]),
        (DataType(name: "blob"), []),
        (DataType(name: "uuid"), []),
    ]

    static func make(seed: UInt64) -> Schema {
        var rng = SeededGenerator(state: seed)
        var schema = Schema()
        for t in 0..<Int.random(in: 1...5, using: &rng) {
            schema.tables.append(table(named: "t\(t)", after: schema.tables, rng: &rng))
        }
        return schema
    }

    static func table(named name: String, after earlier: [Table], rng: inout SeededGenerator) -> Table {
        var table = Table(name: name)
        let rowid = Bool.random(using: &rng)
        if rowid {
            table.columns.append(Column(name: "id", type: DataType(name: "integer")))
            table.primaryKey = PrimaryKey(columns: ["id"], autoincrement: Int.random(in: 0..<4, using: &rng) == 0)
        }
        for c in 0..<Int.random(in: 1...6, using: &rng) {
            let (type, defaults) = types.randomElement(using: &rng)!
            var column = Column(name: "c\(c)", type: type, nullable: Bool.random(using: &rng))
            if !defaults.isEmpty, Bool.random(using: &rng) { column.defaultValue = defaults.randomElement(using: &rng) }
            if !column.nullable && column.defaultValue == nil { column.defaultValue = defaults.first }
            if Int.random(in: 0..<6, using: &rng) == 0, type.portable == .text { column.collation = "NOCASE" }
            table.columns.append(column)
        }
        let names = table.columns.map(\.name).filter { $0 != "id" }
        if !rowid, names.count >= 2, Bool.random(using: &rng) {
            table.primaryKey = PrimaryKey(columns: Array(names.prefix(2)))
        }
        if Int.random(in: 0..<3, using: &rng) == 0, let column = names.randomElement(using: &rng) {
            table.uniques.append(UniqueConstraint(columns: [column]))
        }
        if Int.random(in: 0..<3, using: &rng) == 0, let column = names.randomElement(using: &rng) {
            table.checks.append(Check(name: "ck_\(name)_\(column)", expression: "\(column) IS NOT NULL OR 1 = 1"))
        }
        for (i, column) in names.enumerated() where Int.random(in: 0..<3, using: &rng) == 0 {
            let kind = Int.random(in: 0..<5, using: &rng)
            var index = TableIndex(name: "idx_\(name)_\(i)", keys: [.column(column, descending: kind == 1)])
            index.unique = kind == 2
            if kind == 3 { index.predicate = "\(column) IS NOT NULL" }
            if kind == 4 { index.keys = [IndexKey(column: nil, expression: "coalesce(\(column), 0)")] }
            table.indexes.append(index)
        }
        let targets = earlier.filter { $0.primaryKey?.columns == ["id"] } + (rowid ? [table] : [])
        if let target = targets.randomElement(using: &rng), Bool.random(using: &rng) {
            let actions: [ReferentialAction?] = [nil, .cascade, .setNull, .restrict]
            table.columns.append(Column(name: "ref_\(target.name)", type: DataType(name: "integer")))
            table.foreignKeys.append(
                ForeignKey(
                    name: "fk_\(name)_\(target.name)", columns: ["ref_\(target.name)"], referencedTable: target.name,
                    referencedColumns: ["id"], onDelete: actions.randomElement(using: &rng)!))
        }
        return table
    }
}
