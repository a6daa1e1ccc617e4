import SQLSyntax
import SchemaModel

/// Compares the objects other than tables (`SchemaObject`) of two schemas.
///
/// Objects match by identity (`SchemaObject.key`) and are equal when their statements
/// are, token by token (both sides come from the engine's catalog, so this is the
/// engine's own spelling). A changed object is changed in place where the engine can
/// (`ObjectSQL.inPlace`), else dropped and created again; everything that uses a
/// dropped or recreated object, and the views, policies and triggers over a column that
/// changes type or is dropped (`EngineCapabilities.columnChangeDependents`), is dropped
/// before and created again after.
public struct ObjectDiffer: Sendable {
    /// Which dependents block a column change there.
    public let engine: any EngineCapabilities

    /// A differ for `engine`.
    public init(engine: any EngineCapabilities) {
        self.engine = engine
    }

    /// The object changes from `current` to `desired`, given the table changes found.
    public func changes(from current: Schema, to desired: Schema, tableChanges: [SchemaChange]) -> [SchemaChange] {
        changesWithReasons(from: current, to: desired, tableChanges: tableChanges).changes
    }

    /// The object changes, and for each object dropped only to be created again (by key),
    /// why: `it uses users.name, whose type changes`.
    public func changesWithReasons(from current: Schema, to desired: Schema, tableChanges: [SchemaChange])
        -> (changes: [SchemaChange], reasons: [String: String])
    {
        var reasons: [String: String] = [:]
        let currentByKey = Dictionary(current.objects.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let desiredByKey = Dictionary(desired.objects.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var changes: [SchemaChange] = []
        /// Lowercased names of objects that go away for a while, and of tables whose columns change under their users.
        var gone: Set<String> = []
        var retyped: [String: Set<String>] = [:]
        var handled: Set<String> = []
        for change in tableChanges {
            switch change {
            case .dropColumn(let table, let column): retyped[table.lowercased(), default: []].insert(column.name.lowercased())
            case .alterColumn(let table, let from, let to) where from.type != to.type || from.collation != to.collation:
                retyped[table.lowercased(), default: []].insert(to.name.lowercased())
            default: break
            }
        }
        /// The `table.column` that `object` uses and that is retyped or dropped, if any.
        func changedColumn(_ object: SchemaObject) -> String? {
            guard engine.columnChangeDependents.contains(object.kind) else { return nil }
            for (table, columns) in retyped.sorted(by: { $0.key < $1.key })
            where object.references.contains(table) || object.table?.lowercased() == table {
                if let column = columns.sorted().first(where: object.references.contains) { return "\(table).\(column)" }
            }
            return nil
        }
        var goneNames: [String: String] = [:]
        for object in current.objects where desiredByKey[object.key] == nil {
            changes.append(.dropObject(object))
            gone.insert(object.name.lowercased())
            goneNames[object.name.lowercased()] = object.displayName
            handled.insert(object.key)
        }
        for object in desired.objects {
            guard let existing = currentByKey[object.key] else {
                changes.append(.createObject(object))
                handled.insert(object.key)
                continue
            }
            guard !Self.sameDefinition(existing, object) else { continue }
            handled.insert(object.key)
            if ObjectSQL.changesAsOneStep(existing.kind) || ObjectSQL.inPlace(from: existing, to: object) != nil {
                changes.append(.changeObject(from: existing, to: object))
                if ObjectSQL.inPlace(from: existing, to: object) == nil { gone.insert(object.name.lowercased()) }
            } else {
                changes += [.dropObject(existing), .createObject(object)]
                gone.insert(object.name.lowercased())
                goneNames[object.name.lowercased()] = object.displayName
            }
        }
        // Dependents, until nothing more is affected.
        var grew = true
        while grew {
            grew = false
            for object in current.objects where !handled.contains(object.key) {
                guard let wanted = desiredByKey[object.key] else { continue }
                let column = changedColumn(object)
                let used = object.references.intersection(gone).sorted().first
                guard used != nil || column != nil else { continue }
                changes += [.dropObject(object), .createObject(wanted)]
                handled.insert(object.key)
                gone.insert(object.name.lowercased())
                goneNames[object.name.lowercased()] = object.displayName
                reasons[object.key] =
                    column.map { "it uses \($0), whose type changes or which is dropped" }
                    ?? "it uses \(used.flatMap { goneNames[$0] } ?? used ?? ""), which is dropped and created again"
                grew = true
            }
        }
        return (changes, reasons)
    }

    /// Whether two objects are created by the same statements, token by token.
    public static func sameDefinition(_ a: SchemaObject, _ b: SchemaObject) -> Bool {
        a.statements == b.statements || definitionKey(a) == definitionKey(b)
    }

    /// The statements' tokens, words case-folded, `OR REPLACE` and `IF NOT EXISTS` left out.
    static func definitionKey(_ object: SchemaObject) -> [String] {
        object.statements.map { statement in
            guard let tokens = try? Lexer.tokenize(statement) else { return statement }
            var words: [String] = []
            for token in tokens {
                switch token.kind {
                case .word: words.append(token.text.lowercased())
                case .quotedIdentifier: words.append(SQLIdentifier.quote(token.identifierValue ?? token.text).lowercased())
                default: words.append(token.text)
                }
            }
            var key = words.joined(separator: " ")
            for noise in ["create or replace ", " if not exists"] {
                key = key.replacingOccurrences(of: noise, with: noise.hasPrefix(" ") ? "" : "create ")
            }
            return key
        }
    }
}
