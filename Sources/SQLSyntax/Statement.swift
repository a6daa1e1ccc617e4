import SchemaModel

/// A possibly schema-qualified name: `users`, `public.users`.
public struct QualifiedName: Sendable, Hashable, CustomStringConvertible {
    public var schema: String?
    public var name: String

    public init(schema: String? = nil, name: String) {
        self.schema = schema
        self.name = name
    }

    public var description: String { schema.map { "\($0).\(name)" } ?? name }
}

/// A parsed statement of a migration file.
///
/// The DDL of DESIGN.md section 4 is understood; anything else is `.other` and passes
/// to the engine as written.
public enum SQLStatement: Sendable, Hashable {
    case createTable(CreateTable)
    case dropTable(DropTable)
    case alterTable(AlterTable)
    case createIndex(CreateIndex)
    case dropIndex(DropIndex)
    case truncate(Truncate)
    /// A statement passed through: its first keywords (e.g. `INSERT`, `CREATE VIEW`) and tokens.
    case other(PassThrough)
}

public struct CreateTable: Sendable, Hashable {
    public var name: QualifiedName
    public var ifNotExists = false
    public var temporary = false
    public var columns: [ColumnDef] = []
    public var constraints: [TableConstraint] = []
    /// Trailing table options as written, e.g. `WITHOUT ROWID`, `STRICT`.
    public var options: [String] = []

    public init(name: QualifiedName) {
        self.name = name
    }
}

public struct ColumnDef: Sendable, Hashable {
    public var name: String
    /// SQLite allows a column without a type.
    public var type: DataType?
    public var constraints: [ColumnConstraint] = []
    /// The definition exactly as a `CREATE TABLE` wrote it; nil once it is edited. A
    /// SQLite rebuild writes untouched columns from it, so that their declared type (and
    /// with it affinity and rowid aliasing) stays as the user wrote it. Not compared.
    public var source: String?

    public static func == (a: ColumnDef, b: ColumnDef) -> Bool {
        a.name == b.name && a.type == b.type && a.constraints == b.constraints
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(type)
        hasher.combine(constraints)
    }

    public init(name: String, type: DataType?, constraints: [ColumnConstraint] = []) {
        self.name = name
        self.type = type
        self.constraints = constraints
    }

    public var isNotNull: Bool {
        constraints.contains { if case .notNull = $0.kind { true } else { false } }
    }

    public var defaultValue: Expr? {
        for c in constraints { if case .default(let e) = c.kind { return e } }
        return nil
    }

    public var isPrimaryKey: Bool {
        constraints.contains { if case .primaryKey = $0.kind { true } else { false } }
    }
}

public struct ColumnConstraint: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case primaryKey(descending: Bool, onConflict: String?, autoincrement: Bool)
        case notNull(onConflict: String?)
        case null
        case unique(onConflict: String?)
        case check(Expr)
        case `default`(Expr)
        case collate(String)
        case references(ForeignKeyReference)
        case generated(Expr, stored: Bool)
    }

    public var name: String?
    public var kind: Kind

    public init(name: String? = nil, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

public struct ForeignKeyReference: Sendable, Hashable {
    public var table: QualifiedName
    public var columns: [String]
    public var onDelete: ReferentialAction?
    public var onUpdate: ReferentialAction?
    /// `DEFERRABLE INITIALLY DEFERRED` and friends, as written.
    public var deferrable: String?
    public var match: String?

    public init(table: QualifiedName, columns: [String]) {
        self.table = table
        self.columns = columns
    }
}

/// A key part of an index or a PRIMARY KEY / UNIQUE constraint.
public struct IndexedColumn: Sendable, Hashable {
    public var expression: Expr
    public var collation: String?
    public var descending: Bool
    /// `NULLS FIRST` / `NULLS LAST`, as written.
    public var nulls: String?

    public init(expression: Expr, collation: String? = nil, descending: Bool = false, nulls: String? = nil) {
        self.expression = expression
        self.collation = collation
        self.descending = descending
        self.nulls = nulls
    }
}

public struct TableConstraint: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case primaryKey([IndexedColumn], onConflict: String?)
        case unique([IndexedColumn], onConflict: String?)
        case check(Expr)
        case foreignKey(columns: [String], ForeignKeyReference)
    }

    public var name: String?
    public var kind: Kind
    /// PostgreSQL `NOT VALID`: existing rows are not checked now.
    public var notValid = false
    /// The constraint exactly as a `CREATE TABLE` wrote it (see `ColumnDef.source`). Not compared.
    public var source: String?

    public static func == (a: TableConstraint, b: TableConstraint) -> Bool {
        a.name == b.name && a.kind == b.kind && a.notValid == b.notValid
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(kind)
        hasher.combine(notValid)
    }

    public init(name: String? = nil, kind: Kind, notValid: Bool = false) {
        self.name = name
        self.kind = kind
        self.notValid = notValid
    }
}

public struct DropTable: Sendable, Hashable {
    public var names: [QualifiedName]
    public var ifExists = false
    public var cascade = false

    public init(names: [QualifiedName], ifExists: Bool = false, cascade: Bool = false) {
        self.names = names
        self.ifExists = ifExists
        self.cascade = cascade
    }
}

public struct AlterTable: Sendable, Hashable {
    public var table: QualifiedName
    public var ifExists = false
    public var actions: [AlterTableAction] = []
    /// The seed's trailing `CONCURRENTLY`: run this change online.
    public var concurrently = false

    public init(table: QualifiedName, ifExists: Bool = false, actions: [AlterTableAction] = [], concurrently: Bool = false) {
        self.table = table
        self.ifExists = ifExists
        self.actions = actions
        self.concurrently = concurrently
    }
}

public enum AlterTableAction: Sendable, Hashable {
    case addColumn(ColumnDef, ifNotExists: Bool)
    case dropColumn(String, ifExists: Bool, cascade: Bool)
    case renameColumn(from: String, to: String)
    case renameTable(to: String)
    case alterColumnType(column: String, type: DataType, collation: String?, using: Expr?)
    case setDefault(column: String, Expr)
    case dropDefault(column: String)
    case setNotNull(column: String)
    case dropNotNull(column: String)
    case addConstraint(TableConstraint)
    case dropConstraint(String, ifExists: Bool, cascade: Bool)
    case validateConstraint(String)
}

public struct CreateIndex: Sendable, Hashable {
    public var name: QualifiedName?
    public var table: QualifiedName
    public var unique = false
    public var concurrently = false
    public var ifNotExists = false
    /// `USING btree|gin|...` (PostgreSQL).
    public var method: String?
    public var columns: [IndexedColumn] = []
    public var include: [String] = []
    public var predicate: Expr?

    public init(name: QualifiedName?, table: QualifiedName, unique: Bool = false, concurrently: Bool = false, columns: [IndexedColumn] = []) {
        self.name = name
        self.table = table
        self.unique = unique
        self.concurrently = concurrently
        self.columns = columns
    }
}

public struct DropIndex: Sendable, Hashable {
    public var names: [QualifiedName]
    public var concurrently = false
    public var ifExists = false
    public var cascade = false

    public init(names: [QualifiedName], concurrently: Bool = false, ifExists: Bool = false, cascade: Bool = false) {
        self.names = names
        self.concurrently = concurrently
        self.ifExists = ifExists
        self.cascade = cascade
    }
}

public struct Truncate: Sendable, Hashable {
    public var tables: [QualifiedName]
    public var cascade = false

    public init(tables: [QualifiedName], cascade: Bool = false) {
        self.tables = tables
        self.cascade = cascade
    }
}

public struct PassThrough: Sendable, Hashable {
    /// The statement's leading keywords, upper-cased: `INSERT`, `CREATE VIEW`, `CREATE TRIGGER`.
    public var kind: String
    public var tokens: [Token]
    /// The statement exactly as written.
    public var text: String

    public init(kind: String, tokens: [Token], text: String) {
        self.kind = kind
        self.tokens = tokens
        self.text = text
    }
}

extension PassThrough {
    /// The table an INSERT, UPDATE, DELETE or REPLACE writes to, as written; nil for
    /// other statements.
    public var dataTarget: String? {
        let marker: String
        switch kind {
        case "INSERT", "REPLACE": marker = "INTO"
        case "UPDATE": marker = "UPDATE"
        case "DELETE": marker = "FROM"
        default: return nil
        }
        guard let at = tokens.firstIndex(where: { $0.isWord(marker) }) else { return nil }
        var i = at + 1
        while i < tokens.count, ["OR", "ROLLBACK", "ABORT", "REPLACE", "FAIL", "IGNORE", "ONLY"].contains(tokens[i].text.uppercased()) { i += 1 }
        if i + 2 < tokens.count, tokens[i + 1].isSymbol(".") { i += 2 }
        return i < tokens.count ? tokens[i].identifierValue : nil
    }
}
