import SQLSyntax

/// Lookups in `pg_catalog`, scoped to the session's schema unless a name is qualified.
/// They run on the migration's connection, so inside its open transaction they see what
/// the migration did so far. `facts(for:minimumRows:)` gathers what the strategy chooser
/// needs for one statement.
struct PostgresCatalog {
    let session: PostgresSession

    /// `'schema.name'::regclass` spelled safely, for a table or index.
    static func regclass(_ name: QualifiedName) -> String {
        let schema = name.schema.map { "quote_ident(\(PostgresSQL.literal($0)))" } ?? "quote_ident(current_schema())"
        return "to_regclass(\(schema) || '.' || quote_ident(\(PostgresSQL.literal(name.name))))"
    }

    func tableExists(_ table: QualifiedName) async throws -> Bool {
        try await session.value("SELECT \(Self.regclass(table))::text") != nil
    }

    /// The facts the strategy chooser needs for `statement`, read now (`CatalogFacts`):
    /// for an ALTER TABLE its table's columns in one query, and only what its actions ask.
    func facts(for statement: SQLStatement, minimumRows: Int) async throws -> CatalogFacts {
        var facts = CatalogFacts()
        switch statement {
        case .dropTable(let drop):
            for name in drop.names where try await tableExists(name) { facts.relations.insert(CatalogFacts.key(name)) }
        case .dropIndex(let drop):
            for name in drop.names {
                if let definition = try await indexDefinition(name) { facts.indexes[CatalogFacts.key(name)] = definition }
                if try await session.value("SELECT relkind::text FROM pg_class WHERE oid = \(Self.regclass(name))") == "I" {
                    facts.partitionedIndexes.insert(CatalogFacts.key(name))
                }
            }
        case .createIndex(let index) where index.concurrently:
            try await readPartitions(of: index.table, into: &facts)
        case .alterTable(let alter):
            let table = alter.table
            let key = CatalogFacts.key(alter.table)
            guard try await tableExists(table) else { return facts }
            facts.relations.insert(key)
            facts.columns[key] = try await columns(table)
            for action in alter.actions {
                switch action {
                case .dropConstraint:
                    if facts.constraints[key] == nil { facts.constraints[key] = try await constraintDefinitions(table) }
                case .addConstraint(let constraint) where constraint.name == nil:
                    if facts.takenNames[key] == nil { facts.takenNames[key] = try await takenNames(near: table) }
                case .addColumn(let column, _):
                    let names = column.defaultValue.map(CatalogFacts.functionNames(in:)) ?? []
                    for (name, volatility) in try await volatilities(ofFunctions: names) { facts.volatility[name] = volatility }
                case .alterColumnType(let column, _, _, _):
                    if facts.updateTriggers[key] == nil {
                        // The table's part, once however many columns the statement retypes.
                        if try await hasAtLeast(table, rows: minimumRows) { facts.largeTables.insert(key) }
                        let triggers = try await updateTriggers(table)
                        facts.updateTriggers[key] = triggers
                        if !triggers.isEmpty { facts.maySkipTriggers = try await maySkipTriggers() }
                    }
                    if let columnFacts = try await columnFacts(table, column) { facts.expandContract[CatalogFacts.key(table, column)] = columnFacts }
                default:
                    break
                }
            }
        default:
            break
        }
        return facts
    }

    /// The table's columns, by name.
    private func columns(_ table: QualifiedName) async throws -> [String: CatalogFacts.Column] {
        var columns: [String: CatalogFacts.Column] = [:]
        for row in try await session.rows(
            """
            SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull::text, pg_get_expr(d.adbin, d.adrelid)
            FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = \(Self.regclass(table)) AND a.attnum > 0 AND NOT a.attisdropped
            """)
        {
            guard let name = row[0], let type = row[1] else { continue }
            columns[name] = CatalogFacts.Column(type: type, notNull: row[2] == "true", defaultValue: row[3])
        }
        return columns
    }

    /// `CREATE INDEX ...` as PostgreSQL prints it, or nil when there is no such index.
    /// The partition tree under `table`, when it is partitioned.
    private func readPartitions(of table: QualifiedName, into facts: inout CatalogFacts) async throws {
        guard try await session.value("SELECT relkind::text FROM pg_class WHERE oid = \(Self.regclass(table))") == "p" else { return }
        let rows = try await session.rows(
            """
            SELECT n.nspname::text, c.relname::text, (c.relkind = 'p')::text FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE i.inhparent = \(Self.regclass(table)) AND c.relkind IN ('r', 'p') ORDER BY c.relname
            """)
        var children: [(name: QualifiedName, partitioned: Bool)] = []
        for row in rows {
            guard let schema = row[0], let name = row[1] else { continue }
            let child = QualifiedName(schema: schema, name: name)
            children.append((child, row[2] == "true"))
            if row[2] == "true" { try await readPartitions(of: child, into: &facts) }
        }
        facts.partitions[CatalogFacts.key(table)] = children
    }

    func indexDefinition(_ index: QualifiedName) async throws -> String? {
        try await session.value("SELECT pg_get_indexdef(\(Self.regclass(index)))")
    }

    /// Whether the index exists and is not valid (a failed CREATE INDEX CONCURRENTLY).
    func isInvalidIndex(_ index: QualifiedName) async throws -> Bool {
        try await session.value("SELECT (NOT indisvalid)::text FROM pg_index WHERE indexrelid = \(Self.regclass(index))") == "true"
    }

    /// The table's constraints' definitions (`FOREIGN KEY (a) REFERENCES t(id)`), by name.
    private func constraintDefinitions(_ table: QualifiedName) async throws -> [String: String] {
        var definitions: [String: String] = [:]
        for row in try await session.rows(
            "SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = \(Self.regclass(table))")
        {
            if let name = row[0], let definition = row[1] { definitions[name] = definition }
        }
        return definitions
    }

    /// Lowercased constraint and relation names of the table's schema: the names PostgreSQL
    /// will not give an unnamed constraint (`DefaultConstraintName`'s `taken`).
    func takenNames(near table: QualifiedName) async throws -> Set<String> {
        let schema = table.schema.map(PostgresSQL.literal) ?? "current_schema()"
        let rows = try await session.rows(
            """
            SELECT lower(conname::text) FROM pg_constraint WHERE connamespace = (SELECT oid FROM pg_namespace WHERE nspname = \(schema))
            UNION SELECT lower(relname::text) FROM pg_class WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = \(schema))
            """)
        return Set(rows.compactMap { $0.first ?? nil })
    }

    /// The application's triggers an `UPDATE` of the table fires (enabled, not internal,
    /// not the tool's own `_migrate_` ones), as `name (BEFORE UPDATE)`.
    func updateTriggers(_ table: QualifiedName) async throws -> [String] {
        try await session.rows(
            """
            SELECT tgname::text || ' (' || CASE WHEN tgtype & 2 <> 0 THEN 'BEFORE' WHEN tgtype & 64 <> 0 THEN 'INSTEAD OF' ELSE 'AFTER' END
                   || ' UPDATE' || CASE WHEN tgtype & 1 <> 0 THEN '' ELSE ', per statement' END || ')'
            FROM pg_trigger WHERE tgrelid = \(Self.regclass(table)) AND NOT tgisinternal AND tgenabled <> 'D'
              AND tgtype & 16 <> 0 AND tgname NOT LIKE '\\_migrate\\_%' ORDER BY tgname
            """
        ).compactMap { $0.first ?? nil }
    }

    /// Whether the session may `SET session_replication_role`, which the tool's own row
    /// writes use so that they fire none of the application's triggers: a superuser, or on
    /// PostgreSQL 15+ a role granted `SET ON PARAMETER session_replication_role`.
    func maySkipTriggers() async throws -> Bool {
        if try await session.value("SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user") == "true" { return true }
        guard Int(try await session.value("SELECT current_setting('server_version_num')") ?? "") ?? 0 >= 150_000 else { return false }
        return try await session.value("SELECT has_parameter_privilege('session_replication_role', 'SET')::text") == "true"
    }

    /// `provolatile` of the functions `names` (lowercased), the most volatile of each name.
    private func volatilities(ofFunctions names: [String]) async throws -> [String: Character] {
        guard !names.isEmpty else { return [:] }
        let list = names.map { PostgresSQL.literal($0.lowercased()) }.joined(separator: ", ")
        var found: [String: Character] = [:]
        for row in try await session.rows("SELECT proname::text, provolatile::text FROM pg_proc WHERE proname IN (\(list))") {
            guard let name = row[0], let volatility = row[1]?.first else { continue }
            let rank: [Character: Int] = ["i": 0, "s": 1, "v": 2]
            if rank[volatility, default: 0] >= rank[found[name] ?? "i", default: 0] { found[name] = volatility }
        }
        return found
    }

    /// The planner's estimate of the table's rows (`reltuples`), 0 when never analyzed.
    /// The table's rows as PostgreSQL's planner estimates them (the rows per page of the
    /// last ANALYZE times the pages now); counted, up to 10 million, for a table never
    /// analyzed (`reltuples` -1, or 0 pages then), so that a backfill's total is not 0.
    func estimatedRows(_ table: QualifiedName) async throws -> Int {
        let sql = "SELECT \(Self.rowEstimate("c")) FROM pg_class c WHERE c.oid = \(Self.regclass(table))"
        if let estimate = Int(try await session.value(sql) ?? "") { return estimate }
        return try await countedRows(table)
    }

    /// The planner's row estimate of the `pg_class` row `c` as text, NULL when the table
    /// was never analyzed: the rows per page of the last ANALYZE times the pages now.
    static func rowEstimate(_ c: String) -> String {
        """
        CASE WHEN \(c).reltuples >= 0 AND \(c).relpages > 0
          THEN (\(c).reltuples / \(c).relpages * (pg_relation_size(\(c).oid) / current_setting('block_size')::bigint))::bigint END::text
        """
    }

    /// The table's rows, counted up to 10 million.
    func countedRows(_ table: QualifiedName) async throws -> Int {
        let count = "SELECT count(*)::text FROM (SELECT 1 FROM \(PostgresDialect().quote(table)) LIMIT 10000000) s"
        return Int(try await session.value(count) ?? "") ?? 0
    }

    /// Whether the table has at least `rows` rows, reading no more than that many.
    private func hasAtLeast(_ table: QualifiedName, rows: Int) async throws -> Bool {
        guard rows > 0 else { return true }
        let sql = "SELECT count(*)::text FROM (SELECT 1 FROM \(PostgresDialect().quote(table)) LIMIT \(rows)) s"
        return Int(try await session.value(sql) ?? "") ?? 0 >= rows
    }

    /// What an expand/contract type change needs to know about a column.
    struct ColumnFacts: Sendable {
        var notNull: Bool
        var defaultValue: String?
        var generated: Bool
        /// The table's one-column primary key, if it has one.
        var primaryKey: String?
        /// Constraints on the column, or foreign keys pointing at it.
        var constraintCount: Int
        /// Views and rules that use the column.
        var dependentViews: Int
        var partitioned: Bool
        /// `(name, pg_get_indexdef)` of the indexes on the column.
        var indexes: [(name: String, definition: String)]
        var columns: [String]
    }

    func columnFacts(_ table: QualifiedName, _ column: String) async throws -> ColumnFacts? {
        let t = Self.regclass(table)
        guard
            let row = try await session.rows(
                """
                SELECT a.attnum::text, a.attnotnull::text, pg_get_expr(d.adbin, d.adrelid), (a.attgenerated <> '')::text,
                  (SELECT p.attname::text FROM pg_constraint k JOIN pg_attribute p ON p.attrelid = k.conrelid AND p.attnum = k.conkey[1]
                   WHERE k.conrelid = a.attrelid AND k.contype = 'p' AND array_length(k.conkey, 1) = 1),
                  (SELECT count(*)::text FROM pg_constraint k
                   WHERE (k.conrelid = a.attrelid AND a.attnum = ANY (k.conkey)) OR (k.confrelid = a.attrelid AND a.attnum = ANY (k.confkey))),
                  (SELECT count(*)::text FROM pg_depend r WHERE r.refobjid = a.attrelid AND r.refobjsubid = a.attnum
                   AND r.classid = 'pg_rewrite'::regclass),
                  (SELECT (relkind = 'p')::text FROM pg_class WHERE oid = a.attrelid)
                FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = \(t) AND a.attname = \(PostgresSQL.literal(column)) AND a.attnum > 0 AND NOT a.attisdropped
                """
            ).first, let attnum = row[0]
        else { return nil }
        let indexes = try await session.rows(
            """
            SELECT DISTINCT c.relname::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
            JOIN pg_class c ON c.oid = i.indexrelid
            JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = i.indexrelid
            WHERE d.refobjid = \(t) AND d.refobjsubid = \(attnum)
            """
        ).compactMap { row -> (name: String, definition: String)? in
            guard let name = row[0], let definition = row[1] else { return nil }
            return (name, definition)
        }
        let columns = try await session.rows(
            """
            SELECT attname::text FROM pg_attribute WHERE attrelid = \(t) AND attnum > 0 AND NOT attisdropped ORDER BY attnum
            """
        ).compactMap { $0.first ?? nil }
        return ColumnFacts(
            notNull: row[1] == "true", defaultValue: row[2], generated: row[3] == "true", primaryKey: row[4],
            constraintCount: Int(row[5] ?? "") ?? 0, dependentViews: Int(row[6] ?? "") ?? 0,
            partitioned: row[7] == "true", indexes: indexes, columns: columns)
    }
}
