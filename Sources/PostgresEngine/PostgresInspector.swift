import MigrationEngine
import SQLSyntax
import SchemaModel

/// Reads the live catalog of the session's schema into the schema model. Each table is
/// written back as the `CREATE TABLE` PostgreSQL's own functions describe
/// (`format_type`, `pg_get_expr`, `pg_get_constraintdef`, `pg_get_indexdef`) and replayed
/// through the parser, so the model is built the same way as from migration files:
/// - a column whose default is `nextval` of the sequence it owns is `serial`/`bigserial`;
/// - `USING btree` and the schema qualifier are left out of index definitions;
/// - every other object (types, sequences, functions, views, triggers, policies,
///   comments, ...) is read by `PostgresObjectCatalog` as the statements that create it.
/// The migrator's own tables are left out.
enum PostgresInspector {
    static func schema(_ session: PostgresSession) async throws -> Schema {
        let tables = try await session.rows(
            """
            SELECT c.oid::text, c.relname::text, CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
              AND c.relname <> \(PostgresSQL.literal(PostgresHistory.table)) AND c.relname NOT LIKE '\\_migrate\\_%'
            ORDER BY c.relname
            """)
        let oids = tables.compactMap { $0[0] }.joined(separator: ", ")
        let list = oids.isEmpty ? "NULL" : oids  // keeps `IN (...)` valid for a schema without tables
        let columns = try await session.rows(
            """
            SELECT a.attrelid::text, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull::text,
                   pg_get_expr(d.adbin, d.adrelid), a.attgenerated::text,
                   (owned.seq IS NOT NULL)::text,
                   CASE WHEN a.attcollation <> t.typcollation THEN co.collname::text END,
                   nullif(a.attidentity, '')::text,
                   CASE WHEN a.attidentity IN ('a', 'd') THEN (
                     SELECT concat_ws(' ', CASE WHEN s.seqstart <> 1 THEN 'START WITH ' || s.seqstart END,
                                      CASE WHEN s.seqincrement <> 1 THEN 'INCREMENT BY ' || s.seqincrement END,
                                      CASE WHEN s.seqcache <> 1 THEN 'CACHE ' || s.seqcache END, CASE WHEN s.seqcycle THEN 'CYCLE' END)
                     FROM pg_sequence s WHERE s.seqrelid = owned.seq) END
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_type t ON t.oid = a.atttypid
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            -- The sequence a column owns (serial, identity), joined once rather than looked
            -- up by name per column (pg_get_serial_sequence: most of the query's time).
            LEFT JOIN (
              SELECT DISTINCT ON (dep.refobjid, dep.refobjsubid) dep.refobjid, dep.refobjsubid, dep.objid AS seq
              FROM pg_depend dep JOIN pg_class sc ON sc.oid = dep.objid AND sc.relkind = 'S'
              WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')
              ORDER BY dep.refobjid, dep.refobjsubid, dep.objid
            ) owned ON owned.refobjid = a.attrelid AND owned.refobjsubid = a.attnum
            LEFT JOIN pg_collation co ON co.oid = a.attcollation
            WHERE a.attrelid IN (\(list)) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attrelid, a.attnum
            """)
        let constraints = try await session.rows(
            """
            SELECT conrelid::text, conname::text, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid IN (\(list)) AND contype IN ('p', 'u', 'f', 'c', 'x')
            ORDER BY conrelid, contype = 'f', conname
            """)
        let indexes = try await session.rows(
            """
            SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid IN (\(list)) AND i.indisvalid
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
            ORDER BY c.relname
            """)
        var sql = ""
        let dialect = PostgresDialect()
        // Rows by table, once: scanning every column row for each table is quadratic.
        let columnsByTable = Dictionary(grouping: columns, by: { $0[0] ?? "" })
        let constraintsByTable = Dictionary(grouping: constraints, by: { $0[0] ?? "" })
        for table in tables {
            guard let oid = table[0], let name = table[1] else { continue }
            var parts: [String] = []
            for column in columnsByTable[oid] ?? [] {
                parts.append(columnDefinition(column, dialect: dialect))
            }
            for constraint in constraintsByTable[oid] ?? [] {
                let definition = constraint[2] ?? ""
                let shown = definition.hasPrefix("CHECK ") ? PostgresExpressionCanonicalizer.display(definition) : definition
                parts.append("CONSTRAINT \(dialect.quote(constraint[1] ?? "")) \(shown)")
            }
            let partitioning = table[2].map { " PARTITION BY " + $0 } ?? ""
            sql += "CREATE TABLE \(dialect.quote(name)) (\n  " + parts.joined(separator: ",\n  ") + "\n)\(partitioning);\n"
        }
        let schemaPrefix = " ON " + dialect.quote(try await session.value("SELECT current_schema()::text") ?? "public") + "."
        for index in indexes.compactMap({ $0[0] }) {
            sql += index.replacingOccurrences(of: schemaPrefix, with: " ON ").replacingOccurrences(of: " USING btree ", with: " ") + ";\n"
        }
        sql += try await objectDefinitions(session)
        var interpreter = SchemaInterpreter()
        do {
            try interpreter.apply(try Parser.parse(sql))
        } catch {
            throw EngineError.database("cannot read the catalog of schema \(session.url.schema): \(error)")
        }
        return interpreter.schema
    }

    /// `format_type`'s long names in the short spelling users write.
    static func shortTypeName(_ type: String) -> String {
        let renames = [
            ("character varying", "varchar"), ("character", "char"), ("numeric", "decimal"),
            ("timestamp without time zone", "timestamp"), ("time without time zone", "time"),
        ]
        for (long, short) in renames where type == long || type.hasPrefix(long + "(") || type.hasPrefix(long + "[") {
            return short + type.dropFirst(long.count)
        }
        if type.hasPrefix("timestamp"), type.hasSuffix(" with time zone") {
            return "timestamptz" + type.dropFirst("timestamp".count).dropLast(" with time zone".count)
        }
        return type
    }

    private static func columnDefinition(_ row: [String?], dialect: PostgresDialect) -> String {
        var type = shortTypeName(row[2] ?? "text")
        var defaultValue = row[4]
        let generated = row[5] ?? ""
        if row[6] == "true", defaultValue?.hasPrefix("nextval(") == true {
            switch type {
            case "integer": type = "serial"
            case "bigint": type = "bigserial"
            case "smallint": type = "smallserial"
            default: break
            }
            if type.hasSuffix("serial") { defaultValue = nil }
        }
        var sql = dialect.quote(row[1] ?? "") + " " + type
        if let collation = row[7] { sql += " COLLATE " + SQLIdentifier.doubleQuoted(collation) }
        if row[3] == "true" { sql += " NOT NULL" }
        if let identity = row[8], identity == "a" || identity == "d" {
            let options = row[9].flatMap { $0.isEmpty ? nil : $0 }
            sql += " " + IdentityColumn(always: identity == "a", options: options).sql
        }
        if let value = defaultValue.map(PostgresExpressionCanonicalizer.display) {
            sql += generated == "s" ? " GENERATED ALWAYS AS (\(value)) STORED" : " DEFAULT \(value)"
        }
        return sql
    }

    /// Every object other than a table, as the `CREATE` (and `COMMENT`) statements
    /// PostgreSQL's catalog functions write: `PostgresObjectCatalog`.
    private static func objectDefinitions(_ session: PostgresSession) async throws -> String {
        try await PostgresObjectCatalog.statements(session).map { $0 + ";\n" }.joined()
    }
}
