/// A whole database schema: tables, and every other object kind (`SchemaObject`).
///
/// Names compare case-insensitively, as both SQLite and (unquoted) PostgreSQL do.
public struct Schema: Sendable, Hashable {
    /// The tables, in the order they were defined or read.
    public var tables: [Table]
    /// Everything that is not a table: types, functions, views, triggers, comments, ...
    public var objects: [SchemaObject]

    /// A schema of `tables` and `objects`.
    public init(tables: [Table] = [], objects: [SchemaObject] = []) {
        self.tables = tables
        self.objects = objects
    }

    /// The position of the table called `name`, if any.
    /// The same spelling first (PostgreSQL keeps `"Users"` and `users` apart), else
    /// ignoring case (SQLite, and unquoted names).
    public func tableIndex(_ name: String) -> Int? {
        if let exact = tables.firstIndex(where: { $0.name == name }) { return exact }
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

    /// The object whose identity is `key` (`SchemaObject.key`), if any.
    public func object(_ key: String) -> SchemaObject? {
        objects.first { $0.key == key }
    }

    /// Tables sorted by name, for stable output.
    public var sortedTables: [Table] {
        tables.sorted { $0.name.lowercased() < $1.name.lowercased() }
    }
}
