import SQLSyntax
import SchemaModel

/// Chooses how each statement runs on PostgreSQL: a pure function of the statement and
/// the catalog facts read just before it runs (`CatalogFacts`), so that every strategy is
/// unit-tested as data (statements in, SQL and undo out):
/// - `CREATE/DROP INDEX CONCURRENTLY` outside any transaction; a failed build's INVALID index is dropped;
/// - ADD COLUMN instant, or with a volatile default: add, set default, batched backfill;
/// - FOREIGN KEY and CHECK as `NOT VALID`, then `VALIDATE CONSTRAINT` in a transaction of its own;
/// - SET NOT NULL through a validated CHECK; UNIQUE/PRIMARY KEY through a concurrent unique index;
/// - type changes in place when PostgreSQL does not rewrite the table (`TypeCoercion`), else
///   expand/contract (`ExpandContract`) on large tables;
/// - DROP TABLE / DROP COLUMN renamed away and dropped at the end when a later step may commit.
struct PostgresStrategyChooser {
    /// The catalog as the statement finds it.
    let facts: CatalogFacts
    let dialect: PostgresDialect
    /// Rows per backfill batch.
    var batchRows = 5000
    /// Tables smaller than this take a rewriting type change as PostgreSQL does it (it
    /// is as short as the online form's swap at that size).
    var minimumRows = 10_000
    /// Columns (`CatalogFacts.key(table, column)`) a validated `CHECK (c IS NOT NULL)`
    /// earlier in the migration proves not null (`FileForms.provenNotNull`): their
    /// `SET NOT NULL` runs as written, PostgreSQL skipping its scan.
    var provenNotNull: Set<String> = []

    enum Lock {
        static let none = "none on existing tables"
        static let instant = "ACCESS EXCLUSIVE for a catalog change only (milliseconds), under lock_timeout"
        static let concurrent = "SHARE UPDATE EXCLUSIVE: reads and writes go on"
        static let validate = "a brief strong lock, then SHARE UPDATE EXCLUSIVE while rows are checked: reads and writes go on"
        static let build = "SHARE while the index builds: writes wait (write CONCURRENTLY to avoid)"
        static let rewrite = "ACCESS EXCLUSIVE for the whole table rewrite: reads and writes wait"
        static let expandContract = "expand/contract: brief locks to add the column and trigger and to swap; row locks in short batches"
        static let backfill = "ACCESS EXCLUSIVE for catalog changes only, then row locks in short batches"
        static let passThrough = "as the statement takes"
    }

    /// - Parameters:
    ///   - commitsLater: whether a later statement of the migration may commit (a concurrent
    ///     build, a validation, a backfill): then DROP TABLE / DROP COLUMN rename away now and
    ///     drop in the last transaction, and an expand/contract type change swaps in the last
    ///     transaction, so that a failure in between can undo them.
    ///   - laterNames: lowercased identifiers the later statements mention.
    func choose(_ statement: SQLStatement, commitsLater: Bool = false, laterNames: Set<String> = []) throws -> PostgresStrategy {
        switch statement {
        case .createTable(let table):
            return PostgresStrategy(
                strategy: .native, lock: Lock.none,
                steps: [
                    PostgresStep(dialect.createTable(table), undo: [PostgresStep("DROP TABLE IF EXISTS \(dialect.quote(table.name))", undo: nil)])
                ])
        case .dropTable(let drop):
            var steps: [PostgresStep] = []
            for name in drop.names {
                let sql = "DROP TABLE " + (drop.ifExists ? "IF EXISTS " : "") + dialect.quote(name) + (drop.cascade ? " CASCADE" : "")
                guard commitsLater, facts.tableExists(name) else {
                    steps.append(PostgresStep(sql, undo: nil))
                    continue
                }
                let away = QualifiedName(schema: name.schema, name: Self.truncated("_migrate_dropped_\(name.name)"))
                steps.append(
                    PostgresStep(
                        alter(name, "RENAME TO \(dialect.quote(away.name))"),
                        undo: [PostgresStep(alter(away, "RENAME TO \(dialect.quote(name.name))"), undo: nil)]))
                steps.append(PostgresStep("DROP TABLE \(dialect.quote(away))" + (drop.cascade ? " CASCADE" : ""), .atEnd, undo: nil))
            }
            return PostgresStrategy(strategy: .native, lock: Lock.instant, steps: steps)
        case .truncate(let truncate):
            let sql = "TRUNCATE " + truncate.tables.map { dialect.quote($0) }.joined(separator: ", ") + (truncate.cascade ? " CASCADE" : "")
            return PostgresStrategy(strategy: .native, lock: "ACCESS EXCLUSIVE, brief", steps: [PostgresStep(sql, undo: nil)])
        case .createIndex(let index):
            return createIndex(index)
        case .dropIndex(let drop):
            return try dropIndex(drop)
        case .other(let passThrough):
            if let seconds = FileForms.lockTimeout(passThrough) {
                let shown = seconds.isInfinite ? "0" : "\(Int((seconds * 1000).rounded()))ms"
                return PostgresStrategy(
                    strategy: .instant, lock: "none; each later lock is tried for \(seconds.isInfinite ? "the whole lock timeout" : shown) at a time",
                    steps: [PostgresStep("SET lock_timeout = '\(shown)'", .lockAttempt(seconds), undo: [])])
            }
            return PostgresStrategy(
                strategy: .passThrough, lock: Lock.passThrough,
                steps: [
                    PostgresStep(passThrough.text, Self.mustRunOutsideTransaction(passThrough) ? .autocommit : .transaction, undo: nil)
                ])
        case .alterTable(let alter):
            var result = PostgresStrategy(strategy: .noOp, lock: "none", steps: [])
            for action in alter.actions {
                let part = try choose(action, of: alter.table, commitsLater: commitsLater, laterNames: laterNames)
                if part.strategy >= result.strategy {
                    result.strategy = part.strategy
                    result.lock = part.lock
                }
                result.steps += part.steps
            }
            return result
        }
    }

    /// Statements PostgreSQL refuses inside a transaction block.
    static func mustRunOutsideTransaction(_ statement: PassThrough) -> Bool {
        let words = statement.tokens.prefix(4).map { $0.text.uppercased() }
        if words.first == "VACUUM" { return true }
        if words.starts(with: ["CREATE", "DATABASE"]) || words.starts(with: ["DROP", "DATABASE"]) { return true }
        if words.starts(with: ["CREATE", "TABLESPACE"]) || words.starts(with: ["DROP", "TABLESPACE"]) { return true }
        if words.starts(with: ["ALTER", "SYSTEM"]) { return true }
        if words.first == "REINDEX", statement.tokens.contains(where: { $0.isWord("CONCURRENTLY") }) { return true }
        return false
    }

    // MARK: Indexes

    private func createIndex(_ index: CreateIndex) -> PostgresStrategy {
        let name = index.name.map { dialect.quote($0) }
        guard index.concurrently, let name else {
            return PostgresStrategy(
                strategy: .native, lock: Lock.build,
                steps: [
                    PostgresStep(dialect.createIndex(index), undo: name.map { [PostgresStep("DROP INDEX IF EXISTS \($0)", undo: nil)] } ?? nil)
                ])
        }
        if facts.partitions(of: index.table) != nil, let indexName = index.name {
            return PostgresStrategy(strategy: .online, lock: Lock.concurrent, steps: partitionedIndex(index, named: indexName))
        }
        let drop = "DROP INDEX CONCURRENTLY IF EXISTS \(name)"
        var build = PostgresStep(dialect.createIndex(index), .autocommit, undo: [PostgresStep(drop, .autocommit, undo: nil)], onFailure: [drop])
        build.buildsIndex = index.name.map { (QualifiedName(schema: $0.schema ?? index.table.schema, name: $0.name), index.ifNotExists) }
        return PostgresStrategy(strategy: .online, lock: Lock.concurrent, steps: [build])
    }

    /// PostgreSQL cannot build an index `CONCURRENTLY` on a partitioned table; it can
    /// create the parent's index `ON ONLY` the table (invalid, no rows read), build each
    /// partition's index `CONCURRENTLY`, and attach it; once every partition's is
    /// attached the parent's is valid. Sub-partitioned partitions get the same, in turn.
    func partitionedIndex(_ index: CreateIndex, named name: QualifiedName) -> [PostgresStep] {
        var parent = index
        parent.concurrently = false
        parent.name = name
        let only = dialect.createIndex(parent).replacingOccurrences(
            of: " ON \(dialect.quote(index.table))", with: " ON ONLY \(dialect.quote(index.table))")
        var steps = [PostgresStep(only, undo: [PostgresStep("DROP INDEX IF EXISTS \(dialect.quote(name))", undo: nil)])]
        for (partition, partitioned) in facts.partitions(of: index.table) ?? [] {
            var child = index
            child.table = partition
            child.ifNotExists = false
            let childName = QualifiedName(schema: name.schema, name: DefaultConstraintName.truncated(name.name + "_" + partition.name))
            child.name = childName
            if partitioned {
                steps += partitionedIndex(child, named: childName)
            } else {
                let drop = "DROP INDEX CONCURRENTLY IF EXISTS \(dialect.quote(childName))"
                var build = PostgresStep(
                    dialect.createIndex(child), .autocommit, undo: [PostgresStep(drop, .autocommit, undo: nil)], onFailure: [drop])
                build.buildsIndex = (childName, false)
                steps.append(build)
            }
            steps.append(PostgresStep("ALTER INDEX \(dialect.quote(name)) ATTACH PARTITION \(dialect.quote(childName))", undo: nil))
        }
        return steps
    }

    private func dropIndex(_ drop: DropIndex) throws -> PostgresStrategy {
        var steps: [PostgresStep] = []
        var partitioned = false
        for name in drop.names {
            // A partitioned index has no concurrent drop: it goes with its partitions' in one
            // brief catalog change, and its undo builds it again the plain way.
            let isPartitioned = facts.isPartitionedIndex(name)
            partitioned = partitioned || isPartitioned
            let concurrently = drop.concurrently && !isPartitioned
            let definition = facts.indexDefinition(name).map { isPartitioned ? $0.replacingOccurrences(of: " ON ONLY ", with: " ON ") : $0 }
            let sql =
                "DROP INDEX " + (concurrently ? "CONCURRENTLY " : "") + (drop.ifExists ? "IF EXISTS " : "") + dialect.quote(name)
                + (drop.cascade ? " CASCADE" : "")
            let recreate = definition.map { definition in
                concurrently ? Self.concurrently(definition) : definition
            }
            let undo = recreate.map { [PostgresStep($0, concurrently ? .autocommit : .transaction, undo: nil)] } ?? (drop.ifExists ? [] : nil)
            steps.append(PostgresStep(sql, concurrently && !drop.cascade ? .autocommit : .transaction, undo: undo))
        }
        return drop.concurrently && !partitioned
            ? PostgresStrategy(strategy: .online, lock: Lock.concurrent, steps: steps)
            : PostgresStrategy(strategy: .native, lock: "ACCESS EXCLUSIVE, brief (write CONCURRENTLY to avoid)", steps: steps)
    }

    /// `CREATE [UNIQUE] INDEX name ...` as `pg_get_indexdef` prints it, built concurrently.
    static func concurrently(_ definition: String) -> String {
        for prefix in ["CREATE UNIQUE INDEX ", "CREATE INDEX "] where definition.hasPrefix(prefix) {
            return prefix + "CONCURRENTLY " + definition.dropFirst(prefix.count)
        }
        return definition
    }

    // MARK: ALTER TABLE

    private func alter(_ table: QualifiedName, _ action: String) -> String {
        "ALTER TABLE \(dialect.quote(table)) \(action)"
    }

    private func choose(_ action: AlterTableAction, of table: QualifiedName, commitsLater: Bool, laterNames: Set<String>) throws -> PostgresStrategy {
        switch action {
        case .renameTable(let to):
            let renamed = QualifiedName(schema: table.schema, name: to)
            return PostgresStrategy(
                strategy: .instant, lock: Lock.instant,
                steps: [
                    PostgresStep(
                        alter(table, dialect.alterAction(action)),
                        undo: [PostgresStep(alter(renamed, "RENAME TO \(dialect.quote(table.name))"), undo: nil)])
                ])
        case .renameColumn(let from, let to):
            return PostgresStrategy(
                strategy: .instant, lock: Lock.instant,
                steps: [
                    PostgresStep(
                        alter(table, dialect.alterAction(action)),
                        undo: [
                            PostgresStep(alter(table, "RENAME COLUMN \(dialect.quote(to)) TO \(dialect.quote(from))"), undo: nil)
                        ])
                ])
        case .addColumn(let column, let ifNotExists):
            if ifNotExists, facts.columnExists(table, column.name) {
                return PostgresStrategy(strategy: .noOp, lock: "none", steps: [])
            }
            return try addColumn(column, to: table)
        case .dropColumn(let name, let ifExists, _):
            if ifExists, !facts.columnExists(table, name) {
                return PostgresStrategy(strategy: .noOp, lock: "none", steps: [])
            }
            guard commitsLater else {
                return PostgresStrategy(
                    strategy: .instant, lock: Lock.instant, steps: [PostgresStep(alter(table, dialect.alterAction(action)), undo: nil)])
            }
            return PostgresStrategy(strategy: .instant, lock: Lock.instant, steps: try dropColumnLater(name, of: table, action: action))
        case .alterColumnType(let column, let type, _, let using):
            let current = facts.column(table, column)?.type
            let target = dialect.render(type)
            let undo = current.map { [PostgresStep(alter(table, "ALTER COLUMN \(dialect.quote(column)) TYPE \($0)"), undo: nil)] }
            if using == nil, let current, TypeCoercion.isBinaryCoercible(from: current, to: target) {
                return PostgresStrategy(
                    strategy: .instant, lock: Lock.instant + "; no table rewrite",
                    steps: [
                        PostgresStep(alter(table, dialect.alterAction(action)), undo: undo)
                    ])
            }
            let rewrite = PostgresStep(
                alter(table, dialect.alterAction(action)),
                undo: current.flatMap { TypeCoercion.isWidening(from: $0, to: target) ? undo : nil })
            guard facts.isLarge(table) else {
                return PostgresStrategy(strategy: .native, lock: Lock.rewrite + " (fewer than \(minimumRows) rows)", steps: [rewrite])
            }
            // After a swap, a later commit would leave the old column dropped for good: swap in
            // the last transaction instead, unless a later statement uses the column (it must
            // see the new one; a failure after such a commit names the drop as not undone).
            var expandContract = ExpandContract(facts: facts, dialect: dialect)
            expandContract.swapsAtEnd = commitsLater && !laterNames.contains(column.lowercased())
            switch expandContract.steps(table: table, column: column, type: type, using: using) {
            case .steps(let steps):
                return PostgresStrategy(strategy: .online, lock: Lock.expandContract, steps: steps)
            case .unsupported(let reason):
                return PostgresStrategy(strategy: .blocking, lock: Lock.rewrite + " (not online: \(reason))", steps: [rewrite])
            case .refused(let reason):
                throw ExpandContract.Refusal(message: reason)
            }
        case .setDefault(let column, _), .dropDefault(let column):
            let previous = facts.column(table, column)?.defaultValue
            let restore =
                previous.map { "ALTER COLUMN \(dialect.quote(column)) SET DEFAULT \($0)" } ?? "ALTER COLUMN \(dialect.quote(column)) DROP DEFAULT"
            return PostgresStrategy(
                strategy: .instant, lock: Lock.instant,
                steps: [
                    PostgresStep(alter(table, dialect.alterAction(action)), undo: [PostgresStep(alter(table, restore), undo: nil)])
                ])
        case .dropNotNull(let column):
            let wasNotNull = facts.isNotNull(table, column)
            return PostgresStrategy(
                strategy: .instant, lock: Lock.instant,
                steps: [
                    PostgresStep(
                        alter(table, dialect.alterAction(action)),
                        undo: wasNotNull
                            ? [PostgresStep(alter(table, "ALTER COLUMN \(dialect.quote(column)) SET NOT NULL"), undo: nil)] : [])
                ])
        case .setNotNull(let column):
            if facts.isNotNull(table, column) {
                return PostgresStrategy(strategy: .noOp, lock: "none", steps: [])
            }
            if provenNotNull.contains(CatalogFacts.key(table, column)) {
                return PostgresStrategy(
                    strategy: .instant, lock: Lock.instant + "; the validated CHECK before it spares the scan",
                    steps: [
                        PostgresStep(
                            alter(table, dialect.alterAction(action)),
                            undo: [PostgresStep(alter(table, "ALTER COLUMN \(dialect.quote(column)) DROP NOT NULL"), undo: nil)])
                    ])
            }
            return PostgresStrategy(strategy: .online, lock: Lock.validate, steps: setNotNull(column, of: table))
        case .addConstraint(let constraint):
            return try addConstraint(constraint, to: table)
        case .dropConstraint(let name, let ifExists, _):
            let definition = facts.constraintDefinition(table, name)
            let undo =
                definition.map { [PostgresStep(alter(table, "ADD CONSTRAINT \(dialect.quote(name)) \($0)"), undo: nil)] } ?? (ifExists ? [] : nil)
            return PostgresStrategy(
                strategy: .instant, lock: Lock.instant, steps: [PostgresStep(alter(table, dialect.alterAction(action)), undo: undo)])
        case .validateConstraint:
            return PostgresStrategy(
                strategy: .online, lock: Lock.validate,
                steps: [PostgresStep(alter(table, dialect.alterAction(action)), .ownTransaction, undo: [], weakLock: true)])
        }
    }

    /// DROP COLUMN that a later failure can undo: renamed away (and made nullable, so that
    /// inserts go on), dropped in the last transaction.
    private func dropColumnLater(_ column: String, of table: QualifiedName, action: AlterTableAction) throws -> [PostgresStep] {
        let c = dialect.quote(column)
        let away = dialect.quote(Self.truncated("_migrate_dropped_\(column)"))
        var steps = [
            PostgresStep(
                alter(table, "RENAME COLUMN \(c) TO \(away)"), undo: [PostgresStep(alter(table, "RENAME COLUMN \(away) TO \(c)"), undo: nil)])
        ]
        if facts.isNotNull(table, column) {
            steps.append(
                PostgresStep(
                    alter(table, "ALTER COLUMN \(away) DROP NOT NULL"),
                    undo: [
                        PostgresStep(alter(table, "ALTER COLUMN \(away) SET NOT NULL"), undo: nil)
                    ]))
        }
        var drop = action
        if case .dropColumn(_, let ifExists, let cascade) = action {
            drop = .dropColumn(Self.truncated("_migrate_dropped_\(column)"), ifExists: ifExists, cascade: cascade)
        }
        steps.append(PostgresStep(alter(table, dialect.alterAction(drop)), .atEnd, undo: nil))
        return steps
    }

    /// For each statement, whether a statement after it may commit (`mayCommit`): what
    /// `choose`'s `commitsLater` is, computed once per migration.
    static func commitsAfter(_ statements: [ParsedStatement]) -> [Bool] {
        var result = Array(repeating: false, count: statements.count)
        var later = false
        for i in statements.indices.reversed() {
            result[i] = later
            later = later || mayCommit(statements[i].statement)
        }
        return result
    }

    /// Whether running `statement` may commit a transaction of its own on the way.
    static func mayCommit(_ statement: SQLStatement) -> Bool {
        switch statement {
        case .createIndex(let index): return index.concurrently
        case .dropIndex(let drop): return drop.concurrently
        case .other(let passThrough): return mustRunOutsideTransaction(passThrough)
        case .alterTable(let alter):
            return alter.actions.contains { action in
                switch action {
                case .alterColumnType, .setNotNull, .validateConstraint: return true
                case .addColumn(let column, _):
                    // A default that calls a function may be volatile: backfilled in batches.
                    return column.defaultValue?.tokens.contains { $0.isSymbol("(") } ?? false
                case .addConstraint(let constraint): return !constraint.notValid && constraint.usingIndex == nil
                default: return false
                }
            }
        default: return false
        }
    }

    private func addColumn(_ column: ColumnDef, to table: QualifiedName) throws -> PostgresStrategy {
        let name = dialect.quote(column.name)
        let dropIt = [PostgresStep(alter(table, "DROP COLUMN IF EXISTS \(name)"), undo: nil)]
        guard let value = column.defaultValue, isVolatile(value) else {
            return PostgresStrategy(
                strategy: .instant, lock: Lock.instant,
                steps: [
                    PostgresStep(alter(table, "ADD COLUMN " + dialect.columnDefinition(column)), undo: dropIt)
                ])
        }
        // A volatile default would rewrite the table under ACCESS EXCLUSIVE: add the column
        // bare, let new rows take the default, fill old rows in batches, then NOT NULL.
        var bare = column
        bare.constraints.removeAll {
            switch $0.kind {
            case .default, .notNull: return true
            default: return false
            }
        }
        let t = dialect.quote(table)
        var steps = [
            PostgresStep(alter(table, "ADD COLUMN " + dialect.columnDefinition(bare)), undo: dropIt),
            PostgresStep(alter(table, "ALTER COLUMN \(name) SET DEFAULT \(dialect.render(value))"), undo: []),
            PostgresStep(
                """
                WITH batch AS (
                  UPDATE \(t) SET \(name) = \(dialect.render(value))
                  WHERE ctid = ANY (ARRAY(SELECT ctid FROM \(t) WHERE \(name) IS NULL LIMIT \(batchRows) FOR UPDATE SKIP LOCKED))
                  RETURNING 1
                ) SELECT count(*)::text FROM batch
                """, .batches, undo: []),
        ]
        if column.isNotNull { steps += setNotNull(column.name, of: table) }
        return PostgresStrategy(strategy: .online, lock: Lock.backfill, steps: steps)
    }

    private func isVolatile(_ expression: Expr) -> Bool {
        facts.volatility(ofFunctions: CatalogFacts.functionNames(in: expression)) == "v"
    }

    /// NOT NULL without a long ACCESS EXCLUSIVE scan: a NOT VALID check, validated under a
    /// weak lock, lets SET NOT NULL skip its scan (PostgreSQL 12+); the check then goes.
    private func setNotNull(_ column: String, of table: QualifiedName) -> [PostgresStep] {
        let check = dialect.quote(Self.truncated("\(table.name)_\(column)_not_null"))
        let dropCheck = PostgresStep(alter(table, "DROP CONSTRAINT IF EXISTS \(check)"), undo: nil)
        return [
            PostgresStep(alter(table, "ADD CONSTRAINT \(check) CHECK (\(dialect.quote(column)) IS NOT NULL) NOT VALID"), undo: [dropCheck]),
            PostgresStep(alter(table, "VALIDATE CONSTRAINT \(check)"), .ownTransaction, undo: [], weakLock: true),
            PostgresStep(
                alter(table, "ALTER COLUMN \(dialect.quote(column)) SET NOT NULL"), .ownTransaction,
                undo: [
                    PostgresStep(alter(table, "ALTER COLUMN \(dialect.quote(column)) DROP NOT NULL"), undo: nil)
                ]),
            PostgresStep(
                alter(table, "DROP CONSTRAINT \(check)"),
                undo: [
                    PostgresStep(alter(table, "ADD CONSTRAINT \(check) CHECK (\(dialect.quote(column)) IS NOT NULL) NOT VALID"), undo: nil)
                ]),
        ]
    }

    private func addConstraint(_ constraint: TableConstraint, to table: QualifiedName) throws -> PostgresStrategy {
        if let index = constraint.usingIndex {
            // The index was built (concurrently) before: a catalog change only.
            let name = dialect.quote(constraint.name ?? index)
            return PostgresStrategy(
                strategy: .instant, lock: Lock.instant,
                steps: [
                    PostgresStep(
                        alter(table, dialect.alterAction(.addConstraint(constraint))),
                        undo: [PostgresStep(alter(table, "DROP CONSTRAINT IF EXISTS \(name)"), undo: nil)])
                ])
        }
        switch constraint.kind {
        case .foreignKey, .check:
            if constraint.notValid {
                let foreign = if case .foreignKey = constraint.kind { true } else { false }
                return PostgresStrategy(
                    strategy: .instant,
                    lock: foreign ? "SHARE ROW EXCLUSIVE on it and the referenced table, milliseconds, under lock_timeout" : Lock.instant,
                    steps: [
                        PostgresStep(
                            alter(table, dialect.alterAction(.addConstraint(constraint))),
                            undo: constraint.name.map {
                                [PostgresStep(alter(table, "DROP CONSTRAINT IF EXISTS \(dialect.quote($0))"), undo: nil)]
                            })
                    ])
            }
            var named = constraint
            let name: String
            if let given = constraint.name { name = given } else { name = try defaultName(constraint, table: table) }
            named.name = name
            named.notValid = true
            let drop = [PostgresStep(alter(table, "DROP CONSTRAINT IF EXISTS \(dialect.quote(name))"), undo: nil)]
            return PostgresStrategy(
                strategy: .online, lock: Lock.validate,
                steps: [
                    PostgresStep(alter(table, dialect.alterAction(.addConstraint(named))), undo: drop),
                    PostgresStep(alter(table, "VALIDATE CONSTRAINT \(dialect.quote(name))"), .ownTransaction, undo: [], weakLock: true),
                ])
        case .unique(let columns, _), .primaryKey(let columns, _):
            let isPrimary = if case .primaryKey = constraint.kind { true } else { false }
            let name: String
            if let given = constraint.name { name = given } else { name = try defaultName(constraint, table: table) }
            let index = dialect.quote(name)
            var steps: [PostgresStep] = []
            if isPrimary {
                for column in columns.compactMap(\.expression.columnName) where !facts.isNotNull(table, column) {
                    steps += setNotNull(column, of: table)
                }
            }
            let dropIndex = "DROP INDEX CONCURRENTLY IF EXISTS \(index)"
            var build = PostgresStep(
                "CREATE UNIQUE INDEX CONCURRENTLY \(index) ON \(dialect.quote(table)) (\(dialect.indexedColumns(columns)))", .autocommit,
                undo: [PostgresStep(dropIndex, .autocommit, undo: nil)], onFailure: [dropIndex])
            build.buildsIndex = (QualifiedName(schema: table.schema, name: name), false)
            steps.append(build)
            steps.append(
                PostgresStep(
                    alter(table, "ADD CONSTRAINT \(index) \(isPrimary ? "PRIMARY KEY" : "UNIQUE") USING INDEX \(index)"),
                    undo: [PostgresStep(alter(table, "DROP CONSTRAINT IF EXISTS \(index)"), undo: nil)]))
            return PostgresStrategy(strategy: .online, lock: Lock.concurrent, steps: steps)
        case .other:
            // An exclusion constraint (or a key with options) builds its index under the
            // table's ACCESS EXCLUSIVE lock: PostgreSQL has no concurrent form.
            let undo = constraint.name.map { [PostgresStep(alter(table, "DROP CONSTRAINT IF EXISTS \(dialect.quote($0))"), undo: nil)] }
            return PostgresStrategy(
                strategy: .blocking, lock: Lock.rewrite,
                steps: [PostgresStep(alter(table, dialect.alterAction(.addConstraint(constraint))), undo: undo)])
        }
    }

    /// The name PostgreSQL would give the unnamed `constraint` (`DefaultConstraintName`),
    /// avoiding the names already taken in the table's schema as PostgreSQL does.
    private func defaultName(_ constraint: TableConstraint, table: QualifiedName) throws -> String {
        let taken = facts.taken(near: table)
        switch constraint.kind {
        case .primaryKey: return DefaultConstraintName.primaryKey(table: table.name, taken: taken)
        case .unique(let columns, _):
            return DefaultConstraintName.unique(table: table.name, columns: columns.compactMap(\.expression.columnName), taken: taken)
        case .foreignKey(let columns, _): return DefaultConstraintName.foreignKey(table: table.name, columns: columns, taken: taken)
        case .check(let e): return DefaultConstraintName.check(table: table.name, referencedColumns: e.referencedColumnNames, taken: taken)
        case .other(let definition):
            let (label, columns) = definition.constraintNaming
            return DefaultConstraintName.named(table: table.name, columns: columns, label: label, taken: taken)
        }
    }

    /// PostgreSQL cuts names at 63 bytes.
    static func truncated(_ name: String) -> String {
        DefaultConstraintName.truncated(name)
    }
}
