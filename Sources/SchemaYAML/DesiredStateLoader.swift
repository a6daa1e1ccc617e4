import Foundation
import SQLSyntax
import SchemaModel
import Yams

/// Loads the desired state: every `*.yaml`, `*.yml` and `*.sql` file under a folder (or
/// one file), merged into one schema (DESIGN.md sections 1 and 3).
///
/// YAML files hold `tables:` and a key per other object kind (`ObjectReader`); SQL files
/// hold the engine's DDL: `CREATE TABLE`, `CREATE INDEX`, `ALTER TABLE`, and the CREATE,
/// ALTER and COMMENT statements of the other kinds. Every mistake is a `SchemaError`
/// naming `file:line:column`.
public enum DesiredStateLoader {
    /// The merged schema and where each part of it is defined.
    /// - Parameter path: a schema file or a folder of them.
    public static func load(_ path: String) throws -> (Schema, SchemaSources) {
        var merged = Merger()
        for file in try files(at: path) {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw SchemaError(file: file, line: 1, column: 1, message: "cannot read the file as UTF-8 text")
            }
            if file.hasSuffix(".sql") {
                try merged.addSQL(text, file: file)
            } else {
                try merged.addYAML(text, file: file)
            }
        }
        try merged.applyIndexes()
        try merged.applyAlterations()
        merged.moveCommentsToObjects()
        try SchemaValidator(schema: merged.schema, sources: merged.sources).validate()
        return (merged.schema, merged.sources)
    }

    /// The schema one YAML text describes, as if it were the only file, named `file` in errors.
    public static func load(yaml text: String, file: String) throws -> (Schema, SchemaSources) {
        var merged = Merger()
        try merged.addYAML(text, file: file)
        merged.moveCommentsToObjects()
        try SchemaValidator(schema: merged.schema, sources: merged.sources).validate()
        return (merged.schema, merged.sources)
    }

    /// The schema files at `path`, sorted; a missing path is an error.
    public static func files(at path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            var error = SchemaError(
                file: path, line: 1, column: 1, message: "schema path does not exist; expected a folder of *.yaml/*.sql files or one such file")
            error.isMissingPath = true
            throw error
        }
        guard isDirectory.boolValue else { return [path] }
        var found: [String] = []
        let walker = FileManager.default.enumerator(atPath: path)
        while let relative = walker?.nextObject() as? String {
            let lower = relative.lowercased()
            guard lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") || lower.hasSuffix(".sql") else { continue }
            let full = path.hasSuffix("/") ? path + relative : path + "/" + relative
            found.append(full)
        }
        return found.sorted()
    }
}

/// Collects tables from several files, refusing a table defined twice.
struct Merger {
    var schema = Schema()
    var sources = SchemaSources()
    /// CREATE INDEX statements of SQL files, applied once every table is known.
    var pendingIndexes: [(ParsedStatement, String)] = []
    /// ALTER statements of SQL files (tables and other objects), applied after the indexes.
    var pendingAlterations: [(ParsedStatement, String)] = []
    /// Keys of the objects so far -> where each is defined.
    private var objectLocations: [String: SchemaLocation] = [:]
    var definitions: [String: ColumnDef] = [:]
    /// Table names, for constant-time duplicate checks (the same spelling: PostgreSQL keeps
    /// `"Users"` and `users` apart, and SQLite refuses them when they load into it).
    private var names: Set<String> = []

    mutating func addYAML(_ text: String, file: String) throws {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw Self.schemaError(error, file: file)
        }
        guard let root else { return }
        let top = YAMLNode(node: root, file: file)
        let objectKeys = Dictionary(uniqueKeysWithValues: SchemaObject.Kind.allCases.map { ($0.yamlKey, $0) })
        let allowed = ["tables"] + SchemaObject.Kind.allCases.map(\.yamlKey)
        for (key, _, value) in try top.mapping("a mapping with a 'tables' key", allowed: allowed) {
            if let kind = objectKeys[key] {
                for (object, location) in try ObjectReader.read(kind: kind, value) { try add(object, at: location) }
                continue
            }
            if let scalar = value.node.scalar, scalar.style == .plain, ["", "~", "null"].contains(scalar.string) { continue }
            for (name, nameNode, definition) in try value.mapping("a mapping of table names to definitions") {
                var reader = TableReader(sources: SchemaSources(), definitions: definitions)
                let table = try reader.read(name: name, definition)
                definitions = reader.definitions
                try add(table, at: nameNode.location)
                sources.locations.merge(reader.sources.locations) { _, new in new }
                sources.record(nameNode.location, name)
            }
        }
    }

    mutating func addSQL(_ text: String, file: String) throws {
        let statements: [ParsedStatement]
        do {
            statements = try Parser.parse(text, file: file)
        } catch {
            throw SchemaError(file: file, line: error.location.line, column: error.location.column, message: error.message)
        }
        for statement in statements {
            let location = SchemaLocation(file: file, line: statement.location.line, column: statement.location.column)
            switch statement.statement {
            case .createTable(let create):
                if let schema = create.name.schema, !["public", "main"].contains(schema.lowercased()) {
                    throw SchemaError(location, Self.otherSchema("table", create.name.description))
                }
                let table = Table(create)
                try add(table, at: location)
                for object in SchemaObject.constraints(of: create) { try add(object, at: location) }
                sources.record(location, table.name)
            case .createIndex:
                pendingIndexes.append((statement, file))
            case .alterTable:
                pendingAlterations.append((statement, file))
            case .other(let passThrough):
                switch ObjectStatement.recognize(passThrough) {
                case .create(let object):
                    if let schema = object.schema, object.kind != .schema {
                        throw SchemaError(location, Self.otherSchema(object.kind.rawValue, "\(schema).\(object.name)"))
                    }
                    var object = object
                    object.statements = [statement.source.text.trimmingTrailingSemicolon]
                    try add(object, at: location)
                case .alter:
                    pendingAlterations.append((statement, file))
                case .session:
                    continue
                case .drop, nil:
                    throw SchemaError(location, "expected schema DDL (CREATE, ALTER or COMMENT) in a schema file, found \(passThrough.kind)")
                }
            case .dropTable, .dropIndex, .truncate:
                throw SchemaError(
                    location,
                    "expected schema DDL (CREATE, ALTER or COMMENT) in a schema file, found \(statement.source.tokens.first?.text.uppercased() ?? "")"
                )
            }
        }
    }

    /// Objects are managed in the database's current schema (the URL's `search_path` or
    /// `schema` option picks it); one qualified by another schema is refused, not ignored.
    static func otherSchema(_ kind: String, _ name: String) -> String {
        "\(kind) \(name) is in another schema; objects are managed in the database's current schema only "
            + "(name it without the schema, and pick the schema with the URL's search_path or schema option)"
    }

    mutating func add(_ object: SchemaObject, at location: SchemaLocation) throws {
        if let schema = object.schema, object.kind != .schema {
            throw SchemaError(location, Self.otherSchema(object.kind.rawValue, "\(schema).\(object.name)"))
        }
        if let first = objectLocations[object.key] {
            throw SchemaError(location, "\(object.displayName) is defined twice (first defined at \(first))")
        }
        objectLocations[object.key] = location
        schema.objects.append(object)
    }

    /// ALTER TABLE and the ALTER statements of other objects, in file order, once every
    /// table and object is known.
    mutating func applyAlterations() throws {
        guard !pendingAlterations.isEmpty else { return }
        var interpreter = SchemaInterpreter(schema)
        for (statement, file) in pendingAlterations {
            do {
                try interpreter.apply([statement], file: file)
            } catch {
                throw SchemaError(error.location, error.message)
            }
        }
        schema = interpreter.schema
    }

    /// `comment:` of tables and columns as the comment objects the engines read back.
    mutating func moveCommentsToObjects() {
        for t in schema.tables.indices {
            let table = schema.tables[t]
            var comments: [(String, String)] = []
            if let text = table.comment { comments.append(("TABLE " + table.name, text)) }
            for column in table.columns { if let text = column.comment { comments.append(("COLUMN \(table.name).\(column.name)", text)) } }
            for (target, text) in comments {
                let parts = target.split(separator: " ", maxSplits: 1)
                let quoted = parts[1].split(separator: ".").map { SQLIdentifier.quote(String($0)) }.joined(separator: ".")
                let sql = "COMMENT ON \(parts[0]) \(quoted) IS '\(text.replacingOccurrences(of: "'", with: "''"))'"
                let object = SchemaObject(kind: .comment, name: target, statements: [sql], references: [table.name.lowercased()])
                if !schema.objects.contains(where: { $0.key == object.key }) { schema.objects.append(object) }
            }
            schema.tables[t].comment = nil
            for c in schema.tables[t].columns.indices { schema.tables[t].columns[c].comment = nil }
        }
    }

    mutating func add(_ table: Table, at location: SchemaLocation) throws {
        guard names.insert(table.name).inserted else {
            let first = sources.location(table.name).map { " (first defined at \($0))" } ?? ""
            throw SchemaError(location, "table \(table.name) is defined twice\(first)")
        }
        schema.tables.append(table)
    }

    mutating func applyIndexes() throws {
        // Lookups built once: one linear search per index would be quadratic in a large schema.
        var exact: [String: Int] = [:]
        var folded: [String: Int] = [:]
        var indexNames: Set<String> = []
        for (t, table) in schema.tables.enumerated() {
            if exact[table.name] == nil { exact[table.name] = t }
            if folded[table.name.lowercased()] == nil { folded[table.name.lowercased()] = t }
            for index in table.indexes { indexNames.insert(index.name.lowercased()) }
        }
        for (statement, file) in pendingIndexes {
            guard case .createIndex(let create) = statement.statement else { continue }
            let location = SchemaLocation(file: file, line: statement.location.line, column: statement.location.column)
            guard let t = exact[create.table.name] ?? folded[create.table.name.lowercased()] else {
                let view = ObjectReference(kind: .materializedView, schema: create.table.schema, name: create.table.name)
                if let o = schema.objects.firstIndex(where: view.matches) {
                    schema.objects[o].statements.append(statement.source.text.trimmingTrailingSemicolon)
                    continue
                }
                throw SchemaError(location, "index on table \(create.table.name), which no schema file defines")
            }
            let index = TableIndex(create)
            guard indexNames.insert(index.name.lowercased()).inserted else { throw SchemaError(location, "index \(index.name) is defined twice") }
            schema.tables[t].indexes.append(index)
            sources.record(location, "\(create.table.name).index.\(index.name)")
        }
    }

    /// The next line of the same block mapping that defines `key` again.
    static func secondOccurrence(of key: String, after mark: Mark, in text: String) -> (line: Int, column: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = mark.column - 1
        var n = mark.line
        while n < lines.count {
            let line = lines[n]
            n += 1
            let leading = line.prefix { $0 == " " }.count
            let rest = line.dropFirst(leading)
            if rest.isEmpty || rest.hasPrefix("#") || leading > indent { continue }
            if leading < indent { return nil }
            for spelling in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(spelling + ":") {
                return (n, leading + 1)
            }
        }
        return nil
    }

    static func schemaError(_ error: YamlError, file: String) -> SchemaError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return SchemaError(file: file, line: mark.line, column: mark.column, message: "invalid YAML: \(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams points at the first of the two; point at the second, which is the mistake.
            let first = context.mark
            let key = duplicates.first ?? ""
            let second = secondOccurrence(of: key, after: first, in: context.text)
            return SchemaError(
                file: file, line: second?.line ?? first.line, column: second?.column ?? first.column,
                message: "'\(key)' is defined twice in this mapping (first at \(first.line):\(first.column))")
        default:
            return SchemaError(file: file, line: 1, column: 1, message: "invalid YAML: \(error)")
        }
    }
}
