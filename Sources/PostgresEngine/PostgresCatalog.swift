import SQLSyntax

/// Lookups in `pg_catalog` the strategies need, scoped to the session's schema unless a
/// name is qualified. They run on the migration's connection, so inside its open
/// transaction they see what the migration did so far.
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

    func columnExists(_ table: QualifiedName, _ column: String) async throws -> Bool {
        try await attribute(table, column, "a.attname::text") != nil
    }

    /// `format_type` of the column: `character varying(255)`, `numeric(10,2)`.
    func columnType(_ table: QualifiedName, _ column: String) async throws -> String? {
        try await attribute(table, column, "format_type(a.atttypid, a.atttypmod)")
    }

    func isNotNull(_ table: QualifiedName, _ column: String) async throws -> Bool {
        try await attribute(table, column, "a.attnotnull::text") == "true"
    }

    func columnDefault(_ table: QualifiedName, _ column: String) async throws -> String? {
        try await attribute(table, column, "pg_get_expr(d.adbin, d.adrelid)")
    }

    private func attribute(_ table: QualifiedName, _ column: String, _ expression: String) async throws -> String? {
        try await session.value("""
            SELECT \(expression) FROM pg_attribute a
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = \(Self.regclass(table)) AND a.attname = \(PostgresSQL.literal(column))
              AND a.attnum > 0 AND NOT a.attisdropped
            """)
    }

    /// `CREATE INDEX ...` as PostgreSQL prints it, or nil when there is no such index.
    func indexDefinition(_ index: QualifiedName) async throws -> String? {
        try await session.value("SELECT pg_get_indexdef(\(Self.regclass(index)))")
    }

    /// Whether the index exists and is not valid (a failed CREATE INDEX CONCURRENTLY).
    func isInvalidIndex(_ index: QualifiedName) async throws -> Bool {
        try await session.value("SELECT (NOT indisvalid)::text FROM pg_index WHERE indexrelid = \(Self.regclass(index))") == "true"
    }

    /// The constraint's definition (`FOREIGN KEY (a) REFERENCES t(id)`), or nil.
    func constraintDefinition(_ table: QualifiedName, _ name: String) async throws -> String? {
        try await session.value("""
            SELECT pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = \(Self.regclass(table)) AND conname = \(PostgresSQL.literal(name))
            """)
    }

    /// Lowercased constraint and relation names of the table's schema: the names PostgreSQL
    /// will not give an unnamed constraint (`DefaultConstraintName`'s `taken`).
    func takenNames(near table: QualifiedName) async throws -> Set<String> {
        let schema = table.schema.map(PostgresSQL.literal) ?? "current_schema()"
        let rows = try await session.rows("""
            SELECT lower(conname::text) FROM pg_constraint WHERE connamespace = (SELECT oid FROM pg_namespace WHERE nspname = \(schema))
            UNION SELECT lower(relname::text) FROM pg_class WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = \(schema))
            """)
        return Set(rows.compactMap { $0.first ?? nil })
    }

    /// The application's triggers an `UPDATE` of the table fires (enabled, not internal,
    /// not the tool's own `_migrate_` ones), as `name (BEFORE UPDATE)`.
    func updateTriggers(_ table: QualifiedName) async throws -> [String] {
        try await session.rows("""
            SELECT tgname::text || ' (' || CASE WHEN tgtype & 2 <> 0 THEN 'BEFORE' WHEN tgtype & 64 <> 0 THEN 'INSTEAD OF' ELSE 'AFTER' END
                   || ' UPDATE' || CASE WHEN tgtype & 1 <> 0 THEN '' ELSE ', per statement' END || ')'
            FROM pg_trigger WHERE tgrelid = \(Self.regclass(table)) AND NOT tgisinternal AND tgenabled <> 'D'
              AND tgtype & 16 <> 0 AND tgname NOT LIKE '\\_migrate\\_%' ORDER BY tgname
            """).compactMap { $0.first ?? nil }
    }

    /// Whether the session may `SET session_replication_role`, which the tool's own row
    /// writes use so that they fire none of the application's triggers: a superuser, or on
    /// PostgreSQL 15+ a role granted `SET ON PARAMETER session_replication_role`.
    func maySkipTriggers() async throws -> Bool {
        if try await session.value("SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user") == "true" { return true }
        guard Int(try await session.value("SELECT current_setting('server_version_num')") ?? "") ?? 0 >= 150_000 else { return false }
        return try await session.value("SELECT has_parameter_privilege('session_replication_role', 'SET')::text") == "true"
    }

    /// The most volatile of the functions `names`: `v` (volatile), `s` (stable), `i`
    /// (immutable), or nil when none is a known function.
    func volatility(ofFunctions names: [String]) async throws -> Character? {
        guard !names.isEmpty else { return nil }
        let list = names.map { PostgresSQL.literal($0.lowercased()) }.joined(separator: ", ")
        let found = try await session.rows("SELECT DISTINCT provolatile::text FROM pg_proc WHERE proname IN (\(list))")
            .compactMap { $0.first ?? nil }
        if found.contains("v") { return "v" }
        if found.contains("s") { return "s" }
        return found.isEmpty ? nil : "i"
    }

    /// The planner's estimate of the table's rows (`reltuples`), 0 when never analyzed.
    func estimatedRows(_ table: QualifiedName) async throws -> Int {
        let sql = "SELECT greatest(reltuples, 0)::bigint::text FROM pg_class WHERE oid = \(Self.regclass(table))"
        return Int(try await session.value(sql) ?? "") ?? 0
    }

    /// Whether the table has at least `rows` rows, reading no more than that many.
    func hasAtLeast(_ table: QualifiedName, rows: Int) async throws -> Bool {
        guard rows > 0 else { return true }
        guard try await tableExists(table) else { return false }
        let sql = "SELECT count(*)::text FROM (SELECT 1 FROM \(PostgresDialect().quote(table)) LIMIT \(rows)) s"
        return Int(try await session.value(sql) ?? "") ?? 0 >= rows
    }

    /// What an expand/contract type change needs to know about a column.
    struct ColumnFacts {
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
        guard let row = try await session.rows("""
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
            """).first, let attnum = row[0] else { return nil }
        let indexes = try await session.rows("""
            SELECT DISTINCT c.relname::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
            JOIN pg_class c ON c.oid = i.indexrelid
            JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = i.indexrelid
            WHERE d.refobjid = \(t) AND d.refobjsubid = \(attnum)
            """).compactMap { row -> (name: String, definition: String)? in
            guard let name = row[0], let definition = row[1] else { return nil }
            return (name, definition)
        }
        let columns = try await session.rows("""
            SELECT attname::text FROM pg_attribute WHERE attrelid = \(t) AND attnum > 0 AND NOT attisdropped ORDER BY attnum
            """).compactMap { $0.first ?? nil }
        return ColumnFacts(notNull: row[1] == "true", defaultValue: row[2], generated: row[3] == "true", primaryKey: row[4],
                           constraintCount: Int(row[5] ?? "") ?? 0, dependentViews: Int(row[6] ?? "") ?? 0,
                           partitioned: row[7] == "true", indexes: indexes, columns: columns)
    }
}
