import SQLSyntax
import SchemaDiff

/// The lock, work and estimate of each statement on SQLite (`StatementCost`): every
/// write takes the database's one write lock, so what counts is how long it is held at a
/// time. The rates were measured on the project's 2-vCPU test machine (docs/benchmarks.md,
/// "Estimates in planned files").
enum SQLiteCost {
    /// Online rebuild copying rows in short batches, no new index: rows per second (10M in 33-46 s).
    static let onlineRows = 250_000.0
    /// Online rebuild that also builds a new index: rows per second (10M in 525-594 s).
    static let onlineIndexRows = 18_000.0
    /// A rebuild in one transaction (a small table): rows per second (10M in 14.5 s).
    static let blockingRows = 700_000.0
    /// `CREATE INDEX` in one transaction: rows per second (1M random keys in 0.86 s).
    static let indexRows = 1_000_000.0

    static let brief = "write lock for milliseconds"
    static let batches = "write lock in batches of about 1 ms, readers go on"

    static func costs(of statements: [SQLStatement], sizes: [String: TableSize], minimumRows: Int = 10_000) -> [StatementCost?] {
        statements.map { cost(of: $0, sizes: sizes, minimumRows: minimumRows) }
    }

    static func cost(of statement: SQLStatement, sizes: [String: TableSize], minimumRows: Int) -> StatementCost? {
        func size(_ table: QualifiedName) -> TableSize? { sizes[table.name] ?? sizes[table.name.lowercased()] }
        func rows(_ work: StatementCost.Work, _ lock: String, _ table: QualifiedName, _ rate: Double, _ label: String) -> StatementCost {
            let size = size(table)
            return StatementCost(lock: lock, work: work, table: table.name, size: size, rate: label, seconds: size.map { Double($0.rows) / rate })
        }
        switch statement {
        case .createTable, .dropIndex: return StatementCost(lock: brief, work: .catalog)
        case .dropTable: return StatementCost(lock: "write lock while the table's pages are freed", work: .catalog)
        case .truncate(let truncate):
            return truncate.tables.first.map { rows(.rewrite, "write lock while every row is deleted", $0, blockingRows, "700k rows/s") }
        case .createIndex(let index):
            if index.concurrently, let size = size(index.table), size.rows >= minimumRows {
                return rows(.build, batches + " (an online rebuild with the new index)", index.table, onlineIndexRows, "18k rows/s")
            }
            return rows(.build, "write lock while it builds", index.table, indexRows, "1M rows/s")
        case .other(let passThrough):
            guard let first = passThrough.tokens.first?.text.uppercased(), ["CREATE", "DROP", "ALTER"].contains(first) else { return nil }
            return StatementCost(lock: brief, work: .catalog)
        case .alterTable(let alter):
            guard alter.actions.contains(where: SQLiteCapabilities().rebuildsTable) else { return StatementCost(lock: brief, work: .catalog) }
            if let size = size(alter.table), size.rows >= minimumRows {
                return rows(.rewrite, batches + " (an online rebuild)", alter.table, onlineRows, "250k rows/s")
            }
            return rows(.rewrite, "write lock for the whole table copy (a small table)", alter.table, blockingRows, "700k rows/s")
        }
    }
}
