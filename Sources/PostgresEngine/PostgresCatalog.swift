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

    /// Estimated rows (`reltuples`; -1 before the first ANALYZE reads as 0).
    func estimatedRows(_ table: QualifiedName) async throws -> Int {
        let value = try await session.value("SELECT greatest(reltuples, 0)::bigint::text FROM pg_class WHERE oid = \(Self.regclass(table))")
        return Int(value ?? "") ?? 0
    }
}
