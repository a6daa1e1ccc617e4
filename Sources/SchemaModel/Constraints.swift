/// A primary key. On SQLite a single `INTEGER` key column is the rowid.
public struct PrimaryKey: Sendable, Hashable {
    /// Its name; nil for the one the database gives it.
    public var name: String?
    /// The key's columns, in order.
    public var columns: [String]
    /// SQLite `AUTOINCREMENT`: rowids are never reused.
    public var autoincrement: Bool

    /// A primary key on `columns`.
    public init(name: String? = nil, columns: [String], autoincrement: Bool = false) {
        self.name = name
        self.columns = columns
        self.autoincrement = autoincrement
    }

    /// PostgreSQL's name for an unnamed one: `users_pkey`.
    public func effectiveName(table: String) -> String {
        name ?? DefaultConstraintName.primaryKey(table: table)
    }
}

/// A `UNIQUE` constraint (an index the table owns, as opposed to `CREATE UNIQUE INDEX`).
public struct UniqueConstraint: Sendable, Hashable {
    /// Its name; nil for the one the database gives it.
    public var name: String?
    /// The columns, in order.
    public var columns: [String]

    /// A unique constraint on `columns`.
    public init(name: String? = nil, columns: [String]) {
        self.name = name
        self.columns = columns
    }

    /// PostgreSQL's name for an unnamed one: `users_email_key`.
    public func effectiveName(table: String) -> String {
        name ?? DefaultConstraintName.unique(table: table, columns: columns)
    }
}

/// A `CHECK` constraint.
public struct Check: Sendable, Hashable {
    /// Its name; nil for the one the database gives it.
    public var name: String?
    /// The condition as SQL.
    public var expression: String

    /// A check of `expression`.
    public init(name: String? = nil, expression: String) {
        self.name = name
        self.expression = expression
    }
}

/// A foreign key.
public struct ForeignKey: Sendable, Hashable {
    /// Its name; nil for the one the database gives it.
    public var name: String?
    /// The referencing columns, in order.
    public var columns: [String]
    /// The table referred to.
    public var referencedTable: String
    /// Empty means the referenced table's primary key.
    public var referencedColumns: [String]
    /// `ON DELETE`, nil for the default (NO ACTION).
    public var onDelete: ReferentialAction?
    /// `ON UPDATE`, nil for the default (NO ACTION).
    public var onUpdate: ReferentialAction?
    /// `DEFERRABLE INITIALLY DEFERRED` and friends, as written.
    public var deferrable: String?

    /// A foreign key from `columns` to `referencedTable`.
    public init(
        name: String? = nil, columns: [String], referencedTable: String, referencedColumns: [String] = [],
        onDelete: ReferentialAction? = nil, onUpdate: ReferentialAction? = nil, deferrable: String? = nil
    ) {
        self.name = name
        self.columns = columns
        self.referencedTable = referencedTable
        self.referencedColumns = referencedColumns
        self.onDelete = onDelete
        self.onUpdate = onUpdate
        self.deferrable = deferrable
    }

    /// PostgreSQL's name for an unnamed one: `orders_user_id_fkey`.
    public func effectiveName(table: String) -> String {
        name ?? DefaultConstraintName.foreignKey(table: table, columns: columns)
    }
}

/// An index created with `CREATE [UNIQUE] INDEX`.
public struct TableIndex: Sendable, Hashable {
    /// The index's name.
    public var name: String
    /// Whether it is a unique index.
    public var unique: Bool
    /// Its keys, in order.
    public var keys: [IndexKey]
    /// A partial index's `WHERE` condition, as SQL.
    public var predicate: String?
    /// `USING btree|gin|...` (PostgreSQL).
    public var method: String?
    /// `INCLUDE (...)` columns (PostgreSQL).
    public var include: [String]
    /// What follows the keys, as written: `NULLS NOT DISTINCT`, `WITH (fillfactor = 70)`.
    public var options: String?

    /// An index on `keys`.
    public init(
        name: String, unique: Bool = false, keys: [IndexKey], predicate: String? = nil, method: String? = nil, include: [String] = [],
        options: String? = nil
    ) {
        self.name = name
        self.unique = unique
        self.keys = keys
        self.predicate = predicate
        self.method = method
        self.include = include
        self.options = options
    }

    /// The plain columns the index uses (expression keys excluded).
    public var columnNames: [String] {
        keys.compactMap(\.column)
    }
}

/// One key of an index: a column or an expression, with its collation and order.
public struct IndexKey: Sendable, Hashable {
    /// The column name, when the key is a plain column.
    public var column: String?
    /// The key as SQL (the quoted column, or the expression).
    public var expression: String
    /// `COLLATE` of the key, if any.
    public var collation: String?
    /// `DESC`.
    public var descending: Bool

    /// A key on `column`, or on `expression` when `column` is nil.
    public init(column: String?, expression: String, collation: String? = nil, descending: Bool = false) {
        self.column = column
        self.expression = expression
        self.collation = collation
        self.descending = descending
    }

    /// A key on a plain column.
    public static func column(_ name: String, descending: Bool = false) -> IndexKey {
        IndexKey(column: name, expression: name, descending: descending)
    }
}
