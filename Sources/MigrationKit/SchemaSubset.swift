import Foundation
import SQLSyntax
import SchemaDiff
import SchemaModel

/// The part of a schema that a plan's steps touch, cut out with what it needs to load on
/// its own, so that only that part goes through a scratch database (`DeclarativeWorkflow
/// .storedPlan`): the rest already compared equal.
struct SchemaSubset {
    /// Lowercased names of the tables the steps touch.
    var tables: Set<String> = []
    /// Keys of the objects the steps touch.
    var objects: Set<String> = []

    /// What `plan`'s steps touch.
    init(_ plan: Plan) {
        for step in plan.steps {
            switch step.change {
            case .createTable(let t), .dropTable(let t): tables.insert(t.name.lowercased())
            case .renameTable(let from, let to): tables.formUnion([from.lowercased(), to.lowercased()])
            case .createObject(let o), .dropObject(let o): objects.insert(o.key)
            case .changeObject(let from, let to): objects.formUnion([from.key, to.key])
            default: tables.insert(step.change.table.lowercased())
            }
        }
    }

    /// `schema` cut down to the touched tables and objects, with the objects they use
    /// (types, functions, sequences, extensions, in turn), the tables a touched object
    /// uses, and for a foreign key to a table left out, a stub of it: the columns the key
    /// references and the constraint that makes them unique.
    func cut(_ schema: Schema) -> Schema {
        let byName = Dictionary(schema.tables.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        var tableNames = tables.filter { byName[$0] != nil }
        var objectKeys = objects
        var names: Set<String> = []
        for object in schema.objects where objectKeys.contains(object.key) { names.formUnion(object.references) }
        // What the cut uses, until nothing more is added.
        var grew = true
        while grew {
            grew = false
            for name in tableNames { if let table = byName[name] { names.formUnion(Self.references(of: table)) } }
            for object in schema.objects where !objectKeys.contains(object.key) {
                let used = names.contains(object.name.lowercased()) || object.kind == .extension || object.kind == .schema
                guard used, object.kind != .comment, object.table.map({ tableNames.contains($0.lowercased()) }) ?? true else { continue }
                objectKeys.insert(object.key)
                names.formUnion(object.references)
                grew = true
            }
            for object in schema.objects where objectKeys.contains(object.key) {
                for name in object.references where byName[name] != nil && !tableNames.contains(name) {
                    tableNames.insert(name)
                    grew = true
                }
            }
        }
        var cut = Schema()
        cut.tables = schema.tables.filter { tableNames.contains($0.name.lowercased()) }
        var stubs: [String: Table] = [:]
        for table in cut.tables {
            for key in table.foreignKeys where !tableNames.contains(key.referencedTable.lowercased()) {
                guard let target = byName[key.referencedTable.lowercased()] else { continue }
                stubs[target.name.lowercased(), default: Table(name: target.name)].merge(stubOf: target, for: key)
            }
        }
        cut.tables += stubs.values.sorted { $0.name < $1.name }
        cut.objects = schema.objects.filter { objectKeys.contains($0.key) }
        return cut
    }

    /// `schema` with the touched tables and objects as `stored` has them.
    func merge(_ stored: Schema, into schema: Schema) -> Schema {
        var merged = schema
        for (t, table) in merged.tables.enumerated() where tables.contains(table.name.lowercased()) {
            if let read = stored.table(table.name) { merged.tables[t] = read }
        }
        for (o, object) in merged.objects.enumerated() where objects.contains(object.key) {
            if let read = stored.object(object.key) { merged.objects[o] = read }
        }
        return merged
    }

    /// Lowercased names a table's columns, defaults, checks and generated columns mention.
    static func references(of table: Table) -> Set<String> {
        var names: Set<String> = []
        for column in table.columns {
            if let type = column.type { names.insert(type.name.lowercased()) }
            for sql in [column.defaultValue, column.generated?.expression].compactMap({ $0 }) { names.formUnion(mentioned(in: sql)) }
        }
        for check in table.checks { names.formUnion(mentioned(in: check.expression)) }
        return names
    }

    /// The identifiers of `sql`, and names in its strings (`nextval('invoice_numbers')`).
    static func mentioned(in sql: String) -> Set<String> {
        let expression = Expr(sqlText: sql)
        var names = expression.identifiers
        for token in expression.tokens {
            guard let text = token.singleQuotedName else { continue }
            for part in text.split(separator: ".") { names.insert(part.lowercased().trimmingCharacters(in: .init(charactersIn: "\""))) }
        }
        return names
    }
}

extension Table {
    /// Adds what `key` needs of `target` to this stub: the referenced columns (its primary
    /// key's when it names none) and the key or unique constraint over them.
    mutating func merge(stubOf target: Table, for key: ForeignKey) {
        let wanted = (key.referencedColumns.isEmpty ? target.primaryKey?.columns ?? [] : key.referencedColumns).map { $0.lowercased() }
        for column in target.columns where wanted.contains(column.name.lowercased()) && columnIndex(column.name) == nil {
            var copy = column
            copy.defaultValue = nil
            copy.generated = nil
            columns.append(copy)
        }
        if let primary = target.primaryKey, primary.columns.map({ $0.lowercased() }) == wanted { primaryKey = primary }
        for unique in target.uniques where unique.columns.map({ $0.lowercased() }) == wanted && !uniques.contains(unique) { uniques.append(unique) }
    }
}
