import SchemaModel

/// How one engine spells SQL. Engines provide a dialect; the renderers in
/// `SQLDialect+Rendering.swift` turn parsed statements into that dialect's text.
public protocol SQLDialect: Sendable {
    /// The identifier as it must appear in SQL. Default: bare when it is a plain,
    /// non-reserved word, else double-quoted with `"` doubled.
    func quote(_ identifier: String) -> String
    /// The engine's spelling of a type. Default: the type as written.
    func render(_ type: DataType) -> String
    /// The engine's spelling of an expression. Default: the tokens as written.
    func render(_ expression: Expr) -> String
    /// Whether `CONCURRENTLY` is part of the engine's syntax. Default: false.
    var supportsConcurrently: Bool { get }
    /// The expression in the form the engine's catalog gives it back, for comparisons
    /// only (never executed). Default: `render(expression)`.
    func canonical(_ expression: Expr) -> String
}

extension SQLDialect {
    /// `identifier` quoted when it needs quotes.
    public func quote(_ identifier: String) -> String {
        SQLIdentifier.quote(identifier)
    }

    /// The type as written.
    public func render(_ type: DataType) -> String { type.description }

    /// The expression as written.
    public func render(_ expression: Expr) -> String { expression.sql }

    /// Whether the dialect knows `CONCURRENTLY`.
    public var supportsConcurrently: Bool { false }

    /// The expression in a form equal spellings share.
    public func canonical(_ expression: Expr) -> String { render(expression) }

    /// `schema.name`, each part quoted when needed.
    public func quote(_ name: QualifiedName) -> String {
        name.schema.map { quote($0) + "." + quote(name.name) } ?? quote(name.name)
    }
}

/// Identifier quoting shared by every dialect.
public enum SQLIdentifier {
    /// `users` stays bare; `"weird ""name"`, `Order`-like reserved words and mixed forms are quoted.
    public static func quote(_ identifier: String) -> String {
        if isPlain(identifier) { return identifier }
        return "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Always double-quoted, `"` doubled.
    public static func doubleQuoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func isPlain(_ identifier: String) -> Bool {
        guard let first = identifier.unicodeScalars.first, first == "_" || ("a"..."z").contains(first) else { return false }
        let plain = identifier.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        return plain && !reserved.contains(identifier.uppercased())
    }

    /// Words that must be quoted to be used as names in SQLite or PostgreSQL.
    public static let reserved: Set<String> = [
        "ABORT", "ACTION", "ADD", "AFTER", "ALL", "ALTER", "ALWAYS", "ANALYZE", "AND", "ANY", "ARRAY", "AS", "ASC",
        "ATTACH", "AUTOINCREMENT", "BEFORE", "BEGIN", "BETWEEN", "BOTH", "BY", "CASCADE", "CASE", "CAST", "CHECK",
        "COLLATE", "COLUMN", "COMMIT", "CONFLICT", "CONSTRAINT", "CREATE", "CROSS", "CURRENT", "CURRENT_DATE",
        "CURRENT_TIME", "CURRENT_TIMESTAMP", "CURRENT_USER", "DATABASE", "DEFAULT", "DEFERRABLE", "DEFERRED",
        "DELETE", "DESC", "DETACH", "DISTINCT", "DO", "DROP", "EACH", "ELSE", "END", "ESCAPE", "EXCEPT", "EXCLUDE",
        "EXCLUSIVE", "EXISTS", "EXPLAIN", "FAIL", "FALSE", "FETCH", "FILTER", "FIRST", "FOLLOWING", "FOR", "FOREIGN",
        "FROM", "FULL", "GENERATED", "GLOB", "GRANT", "GROUP", "GROUPS", "HAVING", "IF", "IGNORE", "ILIKE", "IMMEDIATE",
        "IN", "INDEX", "INDEXED", "INITIALLY", "INNER", "INSERT", "INSTEAD", "INTERSECT", "INTO", "IS", "ISNULL",
        "JOIN", "KEY", "LAST", "LATERAL", "LEADING", "LEFT", "LIKE", "LIMIT", "LOCALTIME", "LOCALTIMESTAMP", "MATCH",
        "MATERIALIZED", "NATURAL", "NO", "NOT", "NOTHING", "NOTNULL", "NULL", "NULLS", "OF", "OFFSET", "ON", "ONLY",
        "OR", "ORDER", "OTHERS", "OUTER", "OVER", "PARTITION", "PLACING", "PLAN", "PRAGMA", "PRECEDING", "PRIMARY",
        "QUERY", "RAISE", "RANGE", "RECURSIVE", "REFERENCES", "REGEXP", "REINDEX", "RELEASE", "RENAME", "REPLACE",
        "RESTRICT", "RETURNING", "RIGHT", "ROLLBACK", "ROW", "ROWS", "SAVEPOINT", "SELECT", "SESSION_USER", "SET",
        "SOME", "SYMMETRIC", "TABLE", "TEMP", "TEMPORARY", "THEN", "TIES", "TO", "TRAILING", "TRANSACTION", "TRIGGER",
        "TRUE", "UNBOUNDED", "UNION", "UNIQUE", "UPDATE", "USER", "USING", "VACUUM", "VALUES", "VARIADIC", "VIEW",
        "VIRTUAL", "WHEN", "WHERE", "WINDOW", "WITH", "WITHOUT",
    ]
}
