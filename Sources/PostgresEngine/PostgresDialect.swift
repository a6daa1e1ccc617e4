import SQLSyntax
import SchemaModel

/// PostgreSQL's spelling of the migration dialect, which is PostgreSQL-flavoured already:
/// names are bare when lowercase and plain (PostgreSQL folds unquoted names), types take
/// PostgreSQL's names where the portable name is not one (`blob` is `bytea`, `double` is
/// `double precision`, `datetime` is `timestamp`), `CONCURRENTLY` is kept.
public struct PostgresDialect: SQLDialect {
    /// The PostgreSQL dialect.
    public init() {}

    /// PostgreSQL builds and drops indexes `CONCURRENTLY`.
    public var supportsConcurrently: Bool { true }

    /// The type as PostgreSQL spells it.
    public func render(_ type: DataType) -> String {
        var rendered = type
        switch type.portable {
        case .blob: rendered.name = "bytea"
        case .double: rendered.name = "double precision"
        case .timestamp: rendered.name = "timestamp"
        case .char where type.arguments.isEmpty: rendered = DataType(name: "char", arguments: ["1"])
        default: break
        }
        return rendered.description
    }

    /// Expressions as PostgreSQL prints them back compare equal to how users write them:
    /// `'active'::text` is `'active'`, `x = ANY (ARRAY['a'::text, 'b'::text])` is `x IN ('a', 'b')`.
    public func canonical(_ expression: Expr) -> String {
        PostgresExpressionCanonicalizer.canonical(expression.tokens)
    }
}
