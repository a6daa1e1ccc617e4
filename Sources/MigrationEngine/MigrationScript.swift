import SQLSyntax

/// Which way a migration runs.
public enum MigrationDirection: String, Sendable, Hashable {
    case up, down
}

/// The statements of one migration file, ready for an engine.
public struct MigrationScript: Sendable {
    /// The migration number (`3` for `003_add_roles.up.sql`).
    public var version: Int
    /// The number as the file writes it (`003`).
    public var id: String
    /// The description from the file name.
    public var description: String
    /// Up or down.
    public var direction: MigrationDirection
    /// The file the statements came from, as errors should name it.
    public var file: String
    /// The parsed statements, in order.
    public var statements: [ParsedStatement]

    /// A parsed script.
    public init(version: Int, id: String, description: String, direction: MigrationDirection, file: String, statements: [ParsedStatement]) {
        self.version = version
        self.id = id
        self.description = description
        self.direction = direction
        self.file = file
        self.statements = statements
    }
}
