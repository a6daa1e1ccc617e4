import SQLSyntax
import SchemaDiff

/// The lock, work and estimate of each statement on PostgreSQL (`StatementCost`), as the
/// strategy chooser runs it. The rates were measured on the project's 2-vCPU test machine
/// with the table in memory (docs/benchmarks.md, "Estimates in planned files"); a cold
/// disk or a busy server is slower.
enum PostgresCost {
    /// A rate of bytes per second, with how the comment says it.
    struct Rate {
        var perSecond: Double
        var label: String
    }

    /// `CREATE INDEX CONCURRENTLY`: bytes of the table with its indexes per second (593 MB in 1.7-4.2 s).
    static let build = Rate(perSecond: 150e6, label: "150 MB/s")
    /// `VALIDATE CONSTRAINT`: bytes per second (593 MB in 0.23-0.37 s, cached; rounded down for a cold disk).
    static let scan = Rate(perSecond: 1e9, label: "1 GB/s")
    /// A rewrite under ACCESS EXCLUSIVE (a small table's type change): bytes per second (622 MB in 9.2 s).
    static let rewrite = Rate(perSecond: 60e6, label: "60 MB/s")
    /// Expand/contract: rows per second copied in batches beside live writers (10M in 282-294 s).
    static let expandContractRows = 35_000.0
    /// Tables with fewer rows take a rewriting type change as PostgreSQL does it.
    static let minimumRows = 10_000

    static let brief = "ACCESS EXCLUSIVE for milliseconds, under lock_timeout"
    static let concurrent = "SHARE UPDATE EXCLUSIVE (reads and writes go on)"

    static func costs(of statements: [SQLStatement], sizes: [String: TableSize]) -> [StatementCost?] {
        let proven = FileForms.provenNotNull(statements)
        return statements.enumerated().map { i, statement in cost(of: statement, sizes: sizes, provenNotNull: proven[i]) }
    }

    static func size(_ table: QualifiedName, _ sizes: [String: TableSize]) -> TableSize? {
        sizes[table.name] ?? sizes[table.name.lowercased()]
    }

    /// `work` on `table` at `rate`, estimated from the table's bytes.
    static func measured(_ work: StatementCost.Work, _ lock: String, on table: QualifiedName, at rate: Rate, _ sizes: [String: TableSize])
        -> StatementCost
    {
        let size = size(table, sizes)
        return StatementCost(
            lock: lock, work: work, table: table.name, size: size, rate: rate.label, seconds: size.map { Double($0.bytes ?? 0) / rate.perSecond })
    }

    static func cost(of statement: SQLStatement, sizes: [String: TableSize], provenNotNull: Set<String>) -> StatementCost? {
        switch statement {
        case .createTable: return StatementCost(lock: "ACCESS EXCLUSIVE on the new table", work: .catalog)
        case .dropTable, .truncate: return StatementCost(lock: brief, work: .catalog)
        case .createIndex(let index):
            return measured(.build, index.concurrently ? concurrent : "SHARE (writes wait until it is built)", on: index.table, at: build, sizes)
        case .dropIndex(let drop): return StatementCost(lock: drop.concurrently ? concurrent : brief, work: .catalog)
        case .other(let passThrough):
            if FileForms.lockTimeout(passThrough) != nil { return StatementCost(lock: "none", work: .catalog) }
            let words = passThrough.tokens.prefix(3).map { $0.text.uppercased() }
            if words.contains("MATERIALIZED") || words.first == "REFRESH" {
                return StatementCost(lock: "ACCESS EXCLUSIVE on the view while its query runs", work: .rewrite)
            }
            guard let first = words.first, ["CREATE", "ALTER", "DROP", "COMMENT"].contains(first) else { return nil }
            return StatementCost(lock: "ACCESS EXCLUSIVE on what it changes, milliseconds", work: .catalog)
        case .alterTable(let alter):
            let costs = alter.actions.map { cost(of: $0, alter: alter, sizes: sizes, provenNotNull: provenNotNull) }
            return costs.max { ($0.seconds ?? 0, $0.work != .catalog ? 1 : 0) < ($1.seconds ?? 0, $1.work != .catalog ? 1 : 0) }
        }
    }

    private static func cost(of action: AlterTableAction, alter: AlterTable, sizes: [String: TableSize], provenNotNull: Set<String>) -> StatementCost
    {
        let table = alter.table
        switch action {
        case .validateConstraint:
            return measured(.scan, concurrent, on: table, at: scan, sizes)
        case .setNotNull(let column):
            if provenNotNull.contains(CatalogFacts.key(table, column)) {
                return StatementCost(lock: brief + " (the validated CHECK before it spares the scan)", work: .catalog)
            }
            return measured(.scan, concurrent + ", then " + brief, on: table, at: scan, sizes)
        case .addConstraint(let constraint):
            if constraint.usingIndex != nil { return StatementCost(lock: brief, work: .catalog) }
            switch constraint.kind {
            case .foreignKey where constraint.notValid:
                return StatementCost(lock: "SHARE ROW EXCLUSIVE on it and the referenced table, milliseconds", work: .catalog)
            case .check where constraint.notValid:
                return StatementCost(lock: brief, work: .catalog)
            case .foreignKey, .check:
                return measured(.scan, "NOT VALID (milliseconds), then " + concurrent, on: table, at: scan, sizes)
            case .unique, .primaryKey:
                return measured(.build, concurrent, on: table, at: build, sizes)
            case .other:
                return measured(.build, "ACCESS EXCLUSIVE while its index builds: reads and writes wait", on: table, at: build, sizes)
            }
        case .alterColumnType(_, _, _, let using) where alter.concurrently || using != nil:
            let size = size(table, sizes)
            if let size, size.rows >= minimumRows {
                return StatementCost(
                    lock: "expand/contract: brief ACCESS EXCLUSIVE to add and swap, row locks in batches", work: .rewrite, table: table.name,
                    size: size, rate: "35k rows/s", seconds: Double(size.rows) / expandContractRows)
            }
            return measured(.rewrite, "ACCESS EXCLUSIVE for the rewrite (a small table)", on: table, at: rewrite, sizes)
        case .alterColumnType:
            // A planned file writes it so only when PostgreSQL keeps the rows; a hand-written
            // one may rewrite (the dry run's strategy says which).
            return StatementCost(lock: brief + " when PostgreSQL keeps the rows as they are (a longer varchar), else a rewrite", work: .catalog)
        case .addColumn(let column, _) where column.defaultValue?.tokens.contains(where: { $0.isSymbol("(") }) == true:
            return StatementCost(lock: brief + "; a volatile default is then backfilled in batches of 5,000 rows", work: .catalog)
        default:
            return StatementCost(lock: brief, work: .catalog)
        }
    }
}
