/// A whole database schema: tables, plus views and triggers kept as opaque objects.
///
/// Names compare case-insensitively, as both SQLite and (unquoted) PostgreSQL do.
public struct Schema: Sendable, Hashable {
    /// The tables, in the order they were defined or read.
    public var tables: [Table]
    /// Views and triggers, kept as written; the planner does not diff them.
    public var objects: [SchemaObject]

    /// A schema of `tables` and `objects`.
    public init(tables: [Table] = [], objects: [SchemaObject] = []) {
        self.tables = tables
        self.objects = objects
    }

    /// The position of the table called `name`, if any.
    public func tableIndex(_ name: String) -> Int? {
        let key = name.lowercased()
        return tables.firstIndex { $0.name.lowercased() == key }
    }

    /// The table called `name`, if any.
    public func table(_ name: String) -> Table? {
        tableIndex(name).map { tables[$0] }
    }

    /// The table and index of the index called `name`, if any.
    public func index(_ name: String) -> (table: Int, index: Int)? {
        let key = name.lowercased()
        for (t, table) in tables.enumerated() {
            if let i = table.indexes.firstIndex(where: { $0.name.lowercased() == key }) { return (t, i) }
        }
        return nil
    }

    /// Tables sorted by name, for stable output.
    public var sortedTables: [Table] {
        tables.sorted { $0.name.lowercased() < $1.name.lowercased() }
    }
}

/// A view or trigger: something the schema holds but the planner passes through.
public struct SchemaObject: Sendable, Hashable {
    /// What kind of object.
    public enum Kind: String, Sendable, Hashable {
        case view, trigger
    }

    /// What kind of object.
    public var kind: Kind
    /// Its name.
    public var name: String
    /// The table a trigger belongs to.
    public var table: String?
    /// The statement that creates it, as written.
    public var sql: String

    /// An object of `kind` defined by `sql`.
    public init(kind: Kind, name: String, table: String? = nil, sql: String) {
        self.kind = kind
        self.name = name
        self.table = table
        self.sql = sql
    }
}
