import Foundation

/// Reads the objects other than tables of the session's schema (and the database's
/// schemas and extensions) as the statements that create them, written by PostgreSQL's
/// own catalog functions (`pg_get_viewdef`, `pg_get_functiondef`, `pg_get_triggerdef`,
/// `pg_get_expr`, `format_type`), so that the same object always reads back the same.
/// Objects that belong to an extension, and the migrator's own, are left out.
enum PostgresObjectCatalog {
    /// In creation order: schemas, extensions, types, domains, sequences, functions,
    /// views, materialized views (with their indexes), triggers, policies, row-level
    /// security, comments.
    static func statements(_ session: PostgresSession) async throws -> [String] {
        var statements: [String] = []
        for query in [schemas, extensions, enums, composites, domains, sequences] {
            statements += try await session.rows(query).compactMap { $0[0] }
        }
        let schema = try await session.value("SELECT quote_ident(current_schema())") ?? "public"
        for row in try await session.rows(functions) {
            guard let definition = row[0] else { continue }
            // The function's own schema is the current one: leave the qualifier out.
            var text = definition.trimmingCharacters(in: .whitespacesAndNewlines)
            for kind in ["FUNCTION", "PROCEDURE"] {
                if let range = text.range(of: "\(kind) \(schema).") {
                    text.replaceSubrange(range, with: "\(kind) ")
                    break
                }
            }
            statements.append(text)
        }
        for query in [partitions, views, materializedViews, triggers, policies, rowSecurity, comments] {
            statements += try await session.rows(query).compactMap { $0[0] }
        }
        return statements
    }

    /// `NOT` an extension's member.
    static func ownObject(_ oid: String, _ catalog: String) -> String {
        "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '\(catalog)'::regclass AND d.objid = \(oid) AND d.deptype = 'e')"
    }

    static let inSchema = "n.nspname = current_schema()"

    static let schemas = """
        SELECT 'CREATE SCHEMA ' || quote_ident(n.nspname) FROM pg_namespace n
        WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname NOT IN ('information_schema', 'public') AND n.nspname <> current_schema()
          AND \(ownObject("n.oid", "pg_namespace"))
        ORDER BY n.nspname
        """

    static let extensions = """
        SELECT 'CREATE EXTENSION IF NOT EXISTS ' || quote_ident(extname) FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY extname
        """

    static let enums = """
        SELECT 'CREATE TYPE ' || quote_ident(t.typname) || ' AS ENUM ('
               || coalesce((SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), '')
               || ')'
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE t.typtype = 'e' AND \(inSchema) AND \(ownObject("t.oid", "pg_type"))
        ORDER BY t.typname
        """

    static let composites = """
        SELECT 'CREATE TYPE ' || quote_ident(t.typname) || ' AS ('
               || coalesce((SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                            FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '')
               || ')'
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_class c ON c.oid = t.typrelid
        WHERE t.typtype = 'c' AND c.relkind = 'c' AND \(inSchema) AND \(ownObject("t.oid", "pg_type"))
        ORDER BY t.typname
        """

    static let domains = """
        SELECT 'CREATE DOMAIN ' || quote_ident(t.typname) || ' AS ' || format_type(t.typbasetype, t.typtypmod)
               || CASE WHEN t.typcollation <> 0 AND t.typcollation <> (SELECT b.typcollation FROM pg_type b WHERE b.oid = t.typbasetype)
                       THEN ' COLLATE ' || (SELECT quote_ident(collname) FROM pg_collation WHERE oid = t.typcollation) ELSE '' END
               || coalesce(' DEFAULT ' || t.typdefault, '')
               || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
               || coalesce((SELECT string_agg(' CONSTRAINT ' || quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid), '' ORDER BY k.conname)
                            FROM pg_constraint k WHERE k.contypid = t.oid), '')
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE t.typtype = 'd' AND \(inSchema) AND \(ownObject("t.oid", "pg_type"))
        ORDER BY t.typname
        """

    /// Sequences no column owns (a serial's and an identity's belong to their column).
    static let sequences = """
        SELECT 'CREATE SEQUENCE ' || quote_ident(c.relname) || ' AS ' || format_type(s.seqtypid, NULL)
               || ' INCREMENT BY ' || s.seqincrement || ' MINVALUE ' || s.seqmin || ' MAXVALUE ' || s.seqmax
               || ' START WITH ' || s.seqstart || ' CACHE ' || s.seqcache || CASE WHEN s.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END
        FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE \(inSchema) AND c.relname NOT LIKE '\\_migrate\\_%' AND \(ownObject("c.oid", "pg_class"))
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
        ORDER BY c.relname
        """

    /// Functions and procedures (aggregates and window functions have no `pg_get_functiondef`).
    static let functions = """
        SELECT pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE \(inSchema) AND p.prokind IN ('f', 'p') AND p.proname NOT LIKE '\\_migrate\\_%' AND \(ownObject("p.oid", "pg_proc"))
        ORDER BY p.proname, pg_get_function_identity_arguments(p.oid)
        """

    /// Partitions (their columns are the parent's), sub-partitioned ones with their key.
    static let partitions = """
        SELECT 'CREATE TABLE ' || quote_ident(c.relname) || ' PARTITION OF ' || quote_ident(p.relname) || ' ' || pg_get_expr(c.relpartbound, c.oid)
               || CASE WHEN c.relkind = 'p' THEN ' PARTITION BY ' || pg_get_partkeydef(c.oid) ELSE '' END
        FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid JOIN pg_class p ON p.oid = i.inhparent
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE \(inSchema) AND c.relispartition AND c.relkind IN ('r', 'p') ORDER BY c.relname
        """

    static let views = """
        SELECT 'CREATE VIEW ' || quote_ident(c.relname) || coalesce(' WITH (' || array_to_string(c.reloptions, ', ') || ')', '')
               || ' AS ' || rtrim(pg_get_viewdef(c.oid), ';')
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE \(inSchema) AND c.relkind = 'v' AND \(ownObject("c.oid", "pg_class")) ORDER BY c.relname
        """

    /// Each materialized view, then its indexes.
    static let materializedViews = """
        SELECT statement FROM (
          SELECT c.relname AS view, 0 AS position, 'CREATE MATERIALIZED VIEW ' || quote_ident(c.relname) || ' AS ' || rtrim(pg_get_viewdef(c.oid), ';') AS statement
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE \(inSchema) AND c.relkind = 'm' AND \(ownObject("c.oid", "pg_class"))
          UNION ALL
          SELECT c.relname, 1, replace(pg_get_indexdef(i.indexrelid), ' ON ' || quote_ident(n.nspname) || '.', ' ON ')
          FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE \(inSchema) AND c.relkind = 'm'
        ) s ORDER BY view, position, statement
        """

    static let triggers = """
        SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE \(inSchema) AND NOT t.tgisinternal AND t.tgparentid = 0
          AND c.relname NOT LIKE '\\_migrate\\_%' AND t.tgname NOT LIKE '\\_migrate\\_%'
        ORDER BY c.relname, t.tgname
        """

    static let policies = """
        SELECT 'CREATE POLICY ' || quote_ident(p.polname) || ' ON ' || quote_ident(c.relname)
               || CASE WHEN p.polpermissive THEN '' ELSE ' AS RESTRICTIVE' END
               || ' FOR ' || CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END
               || CASE WHEN p.polroles = '{0}' THEN ''
                       ELSE ' TO ' || (SELECT string_agg(quote_ident(r.rolname), ', ' ORDER BY r.rolname) FROM pg_roles r WHERE r.oid = ANY (p.polroles)) END
               || coalesce(' USING (' || pg_get_expr(p.polqual, p.polrelid) || ')', '')
               || coalesce(' WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')', '')
        FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE \(inSchema) ORDER BY c.relname, p.polname
        """

    static let rowSecurity = """
        SELECT statement FROM (
          SELECT c.relname, 0 AS position, 'ALTER TABLE ' || quote_ident(c.relname) || ' ENABLE ROW LEVEL SECURITY' AS statement
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE \(inSchema) AND c.relrowsecurity
          UNION ALL
          SELECT c.relname, 1, 'ALTER TABLE ' || quote_ident(c.relname) || ' FORCE ROW LEVEL SECURITY'
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE \(inSchema) AND c.relrowsecurity AND c.relforcerowsecurity
        ) s ORDER BY relname, position
        """

    /// Comments on tables, columns, views, sequences, indexes, types, functions,
    /// triggers, constraints, policies and schemas (an extension's comment is its own).
    static let comments = """
        SELECT 'COMMENT ON ' || target || ' IS ' || quote_literal(description) FROM (
          SELECT CASE c.relkind WHEN 'v' THEN 'VIEW ' WHEN 'm' THEN 'MATERIALIZED VIEW ' WHEN 'S' THEN 'SEQUENCE ' WHEN 'i' THEN 'INDEX '
                   ELSE 'TABLE ' END || quote_ident(c.relname) AS target, d.description
          FROM pg_description d JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid = 0
          JOIN pg_namespace n ON n.oid = c.relnamespace WHERE \(inSchema) AND c.relname NOT LIKE '\\_migrate\\_%'
          UNION ALL
          SELECT 'COLUMN ' || quote_ident(c.relname) || '.' || quote_ident(a.attname), d.description
          FROM pg_description d JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0
          JOIN pg_namespace n ON n.oid = c.relnamespace WHERE \(inSchema)
          UNION ALL
          SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN ' ELSE 'TYPE ' END || quote_ident(t.typname), d.description
          FROM pg_description d JOIN pg_type t ON d.classoid = 'pg_type'::regclass AND d.objoid = t.oid
          JOIN pg_namespace n ON n.oid = t.typnamespace WHERE \(inSchema)
          UNION ALL
          SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE ' ELSE 'FUNCTION ' END || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')',
                 d.description
          FROM pg_description d JOIN pg_proc p ON d.classoid = 'pg_proc'::regclass AND d.objoid = p.oid
          JOIN pg_namespace n ON n.oid = p.pronamespace WHERE \(inSchema)
          UNION ALL
          SELECT 'TRIGGER ' || quote_ident(t.tgname) || ' ON ' || quote_ident(c.relname), d.description
          FROM pg_description d JOIN pg_trigger t ON d.classoid = 'pg_trigger'::regclass AND d.objoid = t.oid
          JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE \(inSchema)
          UNION ALL
          SELECT 'CONSTRAINT ' || quote_ident(k.conname) || ' ON ' || CASE WHEN k.contypid <> 0 THEN 'DOMAIN ' ELSE '' END
                 || quote_ident(coalesce(c.relname, t.typname)), d.description
          FROM pg_description d JOIN pg_constraint k ON d.classoid = 'pg_constraint'::regclass AND d.objoid = k.oid
          LEFT JOIN pg_class c ON c.oid = k.conrelid LEFT JOIN pg_type t ON t.oid = k.contypid
          JOIN pg_namespace n ON n.oid = k.connamespace WHERE \(inSchema)
          UNION ALL
          SELECT 'POLICY ' || quote_ident(p.polname) || ' ON ' || quote_ident(c.relname), d.description
          FROM pg_description d JOIN pg_policy p ON d.classoid = 'pg_policy'::regclass AND d.objoid = p.oid
          JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE \(inSchema)
          UNION ALL
          SELECT 'SCHEMA ' || quote_ident(n.nspname), d.description
          FROM pg_description d JOIN pg_namespace n ON d.classoid = 'pg_namespace'::regclass AND d.objoid = n.oid
          WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname NOT IN ('information_schema', 'public')
        ) s ORDER BY target
        """
}
