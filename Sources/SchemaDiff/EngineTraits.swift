/// What the planner needs to know about the target engine to classify steps.
public struct EngineTraits: Sendable, Hashable {
    /// Whether column and constraint changes rebuild the table (SQLite) rather than
    /// edit the catalog (PostgreSQL's SET/DROP DEFAULT, DROP NOT NULL, DROP CONSTRAINT).
    public var alterRebuildsTable: Bool

    public init(alterRebuildsTable: Bool) {
        self.alterRebuildsTable = alterRebuildsTable
    }

    public static let sqlite = EngineTraits(alterRebuildsTable: true)
    public static let postgres = EngineTraits(alterRebuildsTable: false)
}
