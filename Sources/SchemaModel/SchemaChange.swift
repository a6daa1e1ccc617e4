/// One typed difference between two schemas: what the differ finds and the planner
/// orders and renders. Every change has an inverse, which is how down migrations are
/// planned.
public enum SchemaChange: Sendable, Hashable {
    case createTable(Table)
    case dropTable(Table)
    case renameTable(from: String, to: String)
    case addColumn(table: String, Column)
    case dropColumn(table: String, Column)
    case renameColumn(table: String, from: String, to: String)
    /// Type, collation, nullability or default of a column changed.
    case alterColumn(table: String, from: Column, to: Column)
    case addPrimaryKey(table: String, PrimaryKey)
    case dropPrimaryKey(table: String, PrimaryKey)
    case addUnique(table: String, UniqueConstraint)
    case dropUnique(table: String, UniqueConstraint)
    case addCheck(table: String, Check)
    case dropCheck(table: String, Check)
    case addForeignKey(table: String, ForeignKey)
    case dropForeignKey(table: String, ForeignKey)
    case createIndex(table: String, TableIndex)
    case dropIndex(table: String, TableIndex)
    /// An object other than a table (`SchemaObject`) is created.
    case createObject(SchemaObject)
    /// An object is dropped.
    case dropObject(SchemaObject)
    /// An object changes under the same identity: in place where the engine can (a new
    /// enum value, a function's body, a comment, a sequence's options), else recreated.
    case changeObject(from: SchemaObject, to: SchemaObject)

    /// The change that undoes this one.
    public var inverse: SchemaChange {
        switch self {
        case .createTable(let t): .dropTable(t)
        case .dropTable(let t): .createTable(t)
        case .renameTable(let from, let to): .renameTable(from: to, to: from)
        case .addColumn(let t, let c): .dropColumn(table: t, c)
        case .dropColumn(let t, let c): .addColumn(table: t, c)
        case .renameColumn(let t, let from, let to): .renameColumn(table: t, from: to, to: from)
        case .alterColumn(let t, let from, let to): .alterColumn(table: t, from: to, to: from)
        case .addPrimaryKey(let t, let k): .dropPrimaryKey(table: t, k)
        case .dropPrimaryKey(let t, let k): .addPrimaryKey(table: t, k)
        case .addUnique(let t, let u): .dropUnique(table: t, u)
        case .dropUnique(let t, let u): .addUnique(table: t, u)
        case .addCheck(let t, let c): .dropCheck(table: t, c)
        case .dropCheck(let t, let c): .addCheck(table: t, c)
        case .addForeignKey(let t, let f): .dropForeignKey(table: t, f)
        case .dropForeignKey(let t, let f): .addForeignKey(table: t, f)
        case .createIndex(let t, let i): .dropIndex(table: t, i)
        case .dropIndex(let t, let i): .createIndex(table: t, i)
        case .createObject(let o): .dropObject(o)
        case .dropObject(let o): .createObject(o)
        case .changeObject(let from, let to): .changeObject(from: to, to: from)
        }
    }

    /// The table the change applies to (after a rename, its new name).
    public var table: String {
        switch self {
        case .createTable(let t), .dropTable(let t): t.name
        case .renameTable(_, let to): to
        case .addColumn(let t, _), .dropColumn(let t, _), .renameColumn(let t, _, _), .alterColumn(let t, _, _),
            .addPrimaryKey(let t, _), .dropPrimaryKey(let t, _), .addUnique(let t, _), .dropUnique(let t, _),
            .addCheck(let t, _), .dropCheck(let t, _), .addForeignKey(let t, _), .dropForeignKey(let t, _),
            .createIndex(let t, _), .dropIndex(let t, _):
            t
        case .createObject(let o), .dropObject(let o), .changeObject(_, let o): o.table ?? ""
        }
    }
}
