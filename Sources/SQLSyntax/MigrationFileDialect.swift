/// The dialect of migration files (DESIGN.md section 4): PostgreSQL-flavoured, types
/// and expressions as the user wrote them, `CONCURRENTLY` written out. Each engine
/// renders the parsed file in its own dialect when it runs it.
public struct MigrationFileDialect: SQLDialect {
    /// The dialect of migration files.
    public init() {}

    /// Migration files may say `CONCURRENTLY`.
    public var supportsConcurrently: Bool { true }
}
