/// An object of the schema that is not a table: a type, sequence, function, view,
/// trigger, policy, comment, ... It is kept as the statements that create it, in the
/// engine's own DDL; two objects with one `key` are the same object, and they are equal
/// when their statements are (the planner compares them as the engine stores them,
/// after loading the desired state into a scratch database).
public struct SchemaObject: Sendable, Hashable {
    /// The object kinds, in the order the planner creates them when nothing else decides.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case schema
        case `extension`
        case type
        case domain
        case sequence
        case function
        case procedure
        /// `CREATE TABLE name PARTITION OF parent FOR VALUES ...`: its columns are the parent's.
        case partition
        case view
        case materializedView = "materialized view"
        case trigger
        case policy
        /// A table constraint the model keeps as its definition (`EXCLUDE ...`).
        case constraint
        case rowLevelSecurity = "row level security"
        case comment

        /// The key of the desired-state YAML that holds objects of this kind.
        public var yamlKey: String {
            switch self {
            case .schema: "schemas"
            case .extension: "extensions"
            case .type: "types"
            case .domain: "domains"
            case .sequence: "sequences"
            case .function: "functions"
            case .procedure: "procedures"
            case .partition: "partitions"
            case .view: "views"
            case .materializedView: "materialized_views"
            case .trigger: "triggers"
            case .policy: "policies"
            case .constraint: "constraints"
            case .rowLevelSecurity: "row_level_security"
            case .comment: "comments"
            }
        }

        /// The SQL keywords naming the kind: `MATERIALIZED VIEW`, `FUNCTION`.
        public var keyword: String {
            switch self {
            case .rowLevelSecurity: "ROW LEVEL SECURITY"
            case .partition: "TABLE"
            default: rawValue.uppercased()
            }
        }
    }

    /// What kind of object.
    public var kind: Kind
    /// The schema it lives in, when not the current one (PostgreSQL).
    public var schema: String?
    /// Its name as written (unquoted); for a comment, what it is on (`COLUMN users.email`).
    public var name: String
    /// The table a trigger, policy, constraint or row-level-security setting belongs to.
    public var table: String?
    /// A function's or procedure's argument list, e.g. `a integer, b text`; part of its identity.
    public var signature: String?
    /// The statements that create it, in order, without trailing `;`.
    public var statements: [String]
    /// Lowercased names its statements mention (tables, types, functions, views), for
    /// ordering and for finding what a change to another object affects.
    public var references: Set<String>

    /// An object of `kind` created by `statements`.
    public init(
        kind: Kind, schema: String? = nil, name: String, table: String? = nil, signature: String? = nil, statements: [String],
        references: Set<String> = []
    ) {
        self.kind = kind
        self.schema = schema
        self.name = name
        self.table = table
        self.signature = signature
        self.statements = statements
        self.references = references
    }

    /// An object of `kind` created by one statement.
    public init(kind: Kind, name: String, table: String? = nil, sql: String) {
        self.init(kind: kind, name: name, table: table, statements: [sql])
    }

    /// The statements as one text, `;` and a newline between them.
    public var sql: String { statements.joined(separator: ";\n") }

    /// The object's identity: kind, table, name and signature, case folded.
    public var key: String {
        [kind.rawValue, schema?.lowercased() ?? "", table?.lowercased() ?? "", name.lowercased(), signature?.lowercased() ?? ""].joined(
            separator: "|")
    }

    /// `schema.name`, or the name alone.
    public var qualifiedName: String { schema.map { "\($0).\(name)" } ?? name }

    /// How people name it: `view active_users`, `trigger audit on users`, `function f(integer)`.
    public var displayName: String {
        switch kind {
        case .comment: return "comment on \(name.lowercased())"
        case .function, .procedure: return "\(kind.rawValue) \(qualifiedName)(\(signature ?? ""))"
        case .rowLevelSecurity: return "row level security on \(table ?? name)"
        default: return kind.rawValue + " " + qualifiedName + (table.map { " on \($0)" } ?? "")
        }
    }
}
