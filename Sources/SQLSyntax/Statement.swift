import SchemaModel

/// A possibly schema-qualified name: `users`, `public.users`.
public struct QualifiedName: Sendable, Hashable, CustomStringConvertible {
    /// The schema, when qualified.
    public var schema: String?
    /// The name as written (unquoted).
    public var name: String

    /// A name, qualified or not.
    public init(schema: String? = nil, name: String) {
        self.schema = schema
        self.name = name
    }

    /// `schema.name` or `name`.
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

/// `CREATE TABLE`.
public struct CreateTable: Sendable, Hashable {
    /// The table.
    public var name: QualifiedName
    /// `IF NOT EXISTS`.
    public var ifNotExists = false
    /// `TEMPORARY`.
    public var temporary = false
    /// Its columns, in order.
    public var columns: [ColumnDef] = []
    /// Its table constraints.
    public var constraints: [TableConstraint] = []
    /// Trailing table options as written, e.g. `WITHOUT ROWID`, `STRICT`.
    public var options: [String] = []

    /// An empty table named `name`.
    public init(name: QualifiedName) {
        self.name = name
    }
}

/// A column definition of `CREATE TABLE` or `ADD COLUMN`.
public struct ColumnDef: Sendable, Hashable {
    /// The column's name.
    public var name: String
    /// SQLite allows a column without a type.
    public var type: DataType?
    /// Its constraints and clauses, in order.
    public var constraints: [ColumnConstraint] = []
    /// The definition exactly as a `CREATE TABLE` wrote it; nil once it is edited. A
    /// SQLite rebuild writes untouched columns from it, so that their declared type (and
    /// with it affinity and rowid aliasing) stays as the user wrote it. Not compared.
    public var source: String?

    /// Equal when name, type and constraints are (not `source`).
    public static func == (a: ColumnDef, b: ColumnDef) -> Bool {
        a.name == b.name && a.type == b.type && a.constraints == b.constraints
    }

    /// Hashes what `==` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(type)
        hasher.combine(constraints)
    }

    /// A column definition.
    public init(name: String, type: DataType?, constraints: [ColumnConstraint] = []) {
        self.name = name
        self.type = type
        self.constraints = constraints
    }

    /// Whether it has `NOT NULL`.
    public var isNotNull: Bool {
        constraints.contains { if case .notNull = $0.kind { true } else { false } }
    }

    /// Its `DEFAULT`, if any.
    public var defaultValue: Expr? {
        for c in constraints { if case .default(let e) = c.kind { return e } }
        return nil
    }

    /// Whether it has an inline `PRIMARY KEY`.
    public var isPrimaryKey: Bool {
        constraints.contains { if case .primaryKey = $0.kind { true } else { false } }
    }
}

/// One clause of a column definition.
public struct ColumnConstraint: Sendable, Hashable {
    /// The clause.
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
        /// `GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY [(options)]`.
        case identity(always: Bool, options: Expr?)
    }

    /// `CONSTRAINT name`, if given.
    public var name: String?
    /// The clause.
    public var kind: Kind

    /// A clause.
    public init(name: String? = nil, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

/// `REFERENCES table (columns) ...`.
public struct ForeignKeyReference: Sendable, Hashable {
    /// The table referred to.
    public var table: QualifiedName
    /// The columns referred to; empty for its primary key.
    public var columns: [String]
    /// `ON DELETE`.
    public var onDelete: ReferentialAction?
    /// `ON UPDATE`.
    public var onUpdate: ReferentialAction?
    /// `DEFERRABLE INITIALLY DEFERRED` and friends, as written.
    public var deferrable: String?
    /// `MATCH`, if given.
    public var match: String?

    /// A reference to `table`.
    public init(table: QualifiedName, columns: [String]) {
        self.table = table
        self.columns = columns
    }
}

/// A key part of an index or a PRIMARY KEY / UNIQUE constraint.
public struct IndexedColumn: Sendable, Hashable {
    /// The key: a column or an expression.
    public var expression: Expr
    /// `COLLATE`.
    public var collation: String?
    /// `DESC`.
    public var descending: Bool
    /// `NULLS FIRST` / `NULLS LAST`, as written.
    public var nulls: String?

    /// A key.
    public init(expression: Expr, collation: String? = nil, descending: Bool = false, nulls: String? = nil) {
        self.expression = expression
        self.collation = collation
        self.descending = descending
        self.nulls = nulls
    }
}

/// A table constraint.
public struct TableConstraint: Sendable, Hashable {
    /// The constraint.
    public enum Kind: Sendable, Hashable {
        case primaryKey([IndexedColumn], onConflict: String?)
        case unique([IndexedColumn], onConflict: String?)
        case check(Expr)
        case foreignKey(columns: [String], ForeignKeyReference)
        /// A constraint the model keeps as its definition (`EXCLUDE USING gist (...)`,
        /// `UNIQUE NULLS NOT DISTINCT (...)`, a `DEFERRABLE` key): a `SchemaObject` of
        /// kind `constraint` on its table.
        case other(Expr)
    }

    /// `CONSTRAINT name`, if given.
    public var name: String?
    /// The constraint.
    public var kind: Kind
    /// PostgreSQL `NOT VALID`: existing rows are not checked now.
    public var notValid = false
    /// The constraint exactly as a `CREATE TABLE` wrote it (see `ColumnDef.source`). Not compared.
    public var source: String?
    /// PostgreSQL `PRIMARY KEY USING INDEX name` / `UNIQUE USING INDEX name`: the key takes
    /// over an existing unique index (built `CONCURRENTLY` before), whose columns are then
    /// the key's; the kind's column list is empty until the schema model resolves it.
    public var usingIndex: String?

    /// Equal when name, kind, NOT VALID and the index used are (not `source`).
    public static func == (a: TableConstraint, b: TableConstraint) -> Bool {
        a.name == b.name && a.kind == b.kind && a.notValid == b.notValid && a.usingIndex == b.usingIndex
    }

    /// Hashes what `==` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(kind)
        hasher.combine(notValid)
        hasher.combine(usingIndex)
    }

    /// A table constraint.
    public init(name: String? = nil, kind: Kind, notValid: Bool = false) {
        self.name = name
        self.kind = kind
        self.notValid = notValid
    }
}

/// `DROP TABLE`.
public struct DropTable: Sendable, Hashable {
    /// The tables.
    public var names: [QualifiedName]
    /// `IF EXISTS`.
    public var ifExists = false
    /// `CASCADE`.
    public var cascade = false

    /// A DROP TABLE.
    public init(names: [QualifiedName], ifExists: Bool = false, cascade: Bool = false) {
        self.names = names
        self.ifExists = ifExists
        self.cascade = cascade
    }
}

/// `ALTER TABLE`.
public struct AlterTable: Sendable, Hashable {
    /// The table.
    public var table: QualifiedName
    /// `IF EXISTS`.
    public var ifExists = false
    /// Its actions, in order.
    public var actions: [AlterTableAction] = []
    /// The seed's trailing `CONCURRENTLY`: run this change online.
    public var concurrently = false

    /// An ALTER TABLE.
    public init(table: QualifiedName, ifExists: Bool = false, actions: [AlterTableAction] = [], concurrently: Bool = false) {
        self.table = table
        self.ifExists = ifExists
        self.actions = actions
        self.concurrently = concurrently
    }
}

/// One action of ALTER TABLE.
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

/// `CREATE INDEX`.
public struct CreateIndex: Sendable, Hashable {
    /// The index; nil when unnamed.
    public var name: QualifiedName?
    /// The table.
    public var table: QualifiedName
    /// `UNIQUE`.
    public var unique = false
    /// `CONCURRENTLY`.
    public var concurrently = false
    /// `IF NOT EXISTS`.
    public var ifNotExists = false
    /// `USING btree|gin|...` (PostgreSQL).
    public var method: String?
    /// Its keys, in order.
    public var columns: [IndexedColumn] = []
    /// `INCLUDE (...)` columns.
    public var include: [String] = []
    /// What PostgreSQL writes after the keys and before `WHERE`, as written:
    /// `NULLS NOT DISTINCT`, `WITH (fillfactor = 70)`, `TABLESPACE fast`.
    public var options: Expr?
    /// `WHERE`, for a partial index.
    public var predicate: Expr?

    /// A CREATE INDEX.
    public init(name: QualifiedName?, table: QualifiedName, unique: Bool = false, concurrently: Bool = false, columns: [IndexedColumn] = []) {
        self.name = name
        self.table = table
        self.unique = unique
        self.concurrently = concurrently
        self.columns = columns
    }
}

/// `DROP INDEX`.
public struct DropIndex: Sendable, Hashable {
    /// The indexes.
    public var names: [QualifiedName]
    /// `CONCURRENTLY`.
    public var concurrently = false
    /// `IF EXISTS`.
    public var ifExists = false
    /// `CASCADE`.
    public var cascade = false

    /// A DROP INDEX.
    public init(names: [QualifiedName], concurrently: Bool = false, ifExists: Bool = false, cascade: Bool = false) {
        self.names = names
        self.concurrently = concurrently
        self.ifExists = ifExists
        self.cascade = cascade
    }
}

/// `TRUNCATE`.
public struct Truncate: Sendable, Hashable {
    /// The tables.
    public var tables: [QualifiedName]
    /// `CASCADE`.
    public var cascade = false

    /// A TRUNCATE.
    public init(tables: [QualifiedName], cascade: Bool = false) {
        self.tables = tables
        self.cascade = cascade
    }
}

/// A statement the tool runs as written without interpreting it.
public struct PassThrough: Sendable, Hashable {
    /// The statement's leading keywords, upper-cased: `INSERT`, `CREATE VIEW`, `CREATE TRIGGER`.
    public var kind: String
    /// Its tokens.
    public var tokens: [Token]
    /// The statement exactly as written.
    public var text: String

    /// A statement of `kind` (`CREATE VIEW`, `INSERT`) with its tokens and text.
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

extension SQLStatement {
    /// The tables the statement names as written: created, dropped, altered (and renamed
    /// to), indexed, truncated. Index drops and pass-through statements name none here.
    public var tablesNamed: [String] {
        switch self {
        case .createTable(let create): [create.name.name]
        case .dropTable(let drop): drop.names.map(\.name)
        case .alterTable(let alter):
            [alter.table.name] + alter.actions.compactMap { if case .renameTable(let to) = $0 { to } else { nil } }
        case .createIndex(let index): [index.table.name]
        case .truncate(let truncate): truncate.tables.map(\.name)
        case .dropIndex, .other: []
        }
    }
}
