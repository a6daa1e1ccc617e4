/// A table: its columns in order, its keys, indexes, foreign keys and checks.
public struct Table: Sendable, Hashable {
    /// The table's name as written.
    public var name: String
    /// Its columns, in order.
    public var columns: [Column]
    /// Its primary key, if any.
    public var primaryKey: PrimaryKey?
    /// Its unique constraints.
    public var uniques: [UniqueConstraint]
    /// Its indexes (not the ones constraints create).
    public var indexes: [TableIndex]
    /// Its foreign keys.
    public var foreignKeys: [ForeignKey]
    /// Its checks.
    public var checks: [Check]
    /// Trailing options as written, e.g. `WITHOUT ROWID`, `STRICT`.
    public var options: [String]
    /// The table's previous name, when the desired state renames it.
    public var renamedFrom: String?
    /// `COMMENT ON TABLE`.
    public var comment: String?

    /// A table.
    public init(
        name: String, columns: [Column] = [], primaryKey: PrimaryKey? = nil, uniques: [UniqueConstraint] = [],
        indexes: [TableIndex] = [], foreignKeys: [ForeignKey] = [], checks: [Check] = [], options: [String] = [],
        renamedFrom: String? = nil, comment: String? = nil
    ) {
        self.name = name
        self.columns = columns
        self.primaryKey = primaryKey
        self.uniques = uniques
        self.indexes = indexes
        self.foreignKeys = foreignKeys
        self.checks = checks
        self.options = options
        self.renamedFrom = renamedFrom
        self.comment = comment
    }

    /// The position of the column called `name`, if any (case-insensitive).
    public func columnIndex(_ name: String) -> Int? {
        if let exact = columns.firstIndex(where: { $0.name == name }) { return exact }
        let key = name.lowercased()
        return columns.firstIndex { $0.name.lowercased() == key }
    }

    /// The column called `name`, if any.
    public func column(_ name: String) -> Column? {
        columnIndex(name).map { columns[$0] }
    }

    /// Whether `column` is part of the primary key.
    public func isPrimaryKey(_ column: String) -> Bool {
        primaryKey?.columns.contains { $0.lowercased() == column.lowercased() } ?? false
    }
}

/// A column.
public struct Column: Sendable, Hashable {
    /// The column's name as written.
    public var name: String
    /// SQLite allows a column without a type.
    public var type: DataType?
    /// Whether it accepts NULL.
    public var nullable: Bool
    /// The default as a SQL expression, e.g. `'active'`, `0`, `CURRENT_TIMESTAMP`.
    public var defaultValue: String?
    /// `COLLATE`, if any.
    public var collation: String?
    /// `GENERATED ALWAYS AS (expr)`: the expression and whether it is stored.
    public var generated: GeneratedColumn?
    /// PostgreSQL `GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY`.
    public var identity: IdentityColumn?
    /// The column's previous name, when the desired state renames it.
    public var renamedFrom: String?
    /// `COMMENT ON COLUMN`.
    public var comment: String?

    /// A column.
    public init(
        name: String, type: DataType?, nullable: Bool = true, defaultValue: String? = nil, collation: String? = nil,
        generated: GeneratedColumn? = nil, renamedFrom: String? = nil, comment: String? = nil
    ) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.defaultValue = defaultValue
        self.collation = collation
        self.generated = generated
        self.renamedFrom = renamedFrom
        self.comment = comment
    }
}

/// `GENERATED ALWAYS AS (expression) [STORED|VIRTUAL]`.
public struct GeneratedColumn: Sendable, Hashable {
    /// The expression the value is computed from.
    public var expression: String
    /// `STORED` rather than `VIRTUAL`.
    public var stored: Bool

    /// A generated column computed from `expression`.
    public init(expression: String, stored: Bool) {
        self.expression = expression
        self.stored = stored
    }
}

/// `GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY [(sequence options)]`.
public struct IdentityColumn: Sendable, Hashable {
    /// `ALWAYS` (an explicit value is refused) rather than `BY DEFAULT`.
    public var always: Bool
    /// The sequence options as written, e.g. `START WITH 10 INCREMENT BY 5`; nil for none.
    public var options: String?

    /// An identity column.
    public init(always: Bool, options: String? = nil) {
        self.always = always
        self.options = options
    }

    /// `START WITH 10 INCREMENT BY 5 CYCLE` as `["START WITH 10", "INCREMENT BY 5", "CYCLE"]`.
    public static func optionClauses(_ options: String) -> [String] {
        let starts: Set<String> = ["START", "INCREMENT", "MINVALUE", "MAXVALUE", "CACHE", "CYCLE", "NO", "AS", "OWNED", "SEQUENCE"]
        var clauses: [[Substring]] = []
        var previous = ""
        for word in options.split(whereSeparator: \.isWhitespace) {
            let upper = word.uppercased()
            if starts.contains(upper) && previous != "NO" || clauses.isEmpty {
                clauses.append([word])
            } else {
                clauses[clauses.count - 1].append(word)
            }
            previous = upper
        }
        return clauses.map { $0.joined(separator: " ") }
    }

    /// The clause: `GENERATED ALWAYS AS IDENTITY (START WITH 10)`.
    public var sql: String {
        "GENERATED \(always ? "ALWAYS" : "BY DEFAULT") AS IDENTITY" + (options.map { " (\($0))" } ?? "")
    }
}
