import Foundation
import SQLSyntax
import SchemaModel
import Yams

/// Loads the desired state: every `*.yaml`, `*.yml` and `*.sql` file under a folder (or
/// one file), merged into one schema (DESIGN.md sections 1 and 3).
///
/// YAML files hold `tables:`; SQL files hold `CREATE TABLE` and `CREATE INDEX`
/// statements. Every mistake is a `SchemaError` naming `file:line:column`.
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
        try SchemaValidator(schema: merged.schema, sources: merged.sources).validate()
        return (merged.schema, merged.sources)
    }

    /// The schema one YAML text describes, as if it were the only file, named `file` in errors.
    public static func load(yaml text: String, file: String) throws -> (Schema, SchemaSources) {
        var merged = Merger()
        try merged.addYAML(text, file: file)
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
    var definitions: [String: ColumnDef] = [:]
    /// Lowercased table names, for constant-time duplicate checks.
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
        for (key, _, value) in try top.mapping("a mapping with a 'tables' key", allowed: ["tables"]) where key == "tables" {
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
                let table = Table(create)
                try add(table, at: location)
                sources.record(location, table.name)
            case .createIndex:
                pendingIndexes.append((statement, file))
            default:
                throw SchemaError(location, "expected CREATE TABLE or CREATE INDEX in a schema file")
            }
        }
    }

    mutating func add(_ table: Table, at location: SchemaLocation) throws {
        guard names.insert(table.name.lowercased()).inserted else {
            let first = sources.location(table.name).map { " (first defined at \($0))" } ?? ""
            throw SchemaError(location, "table \(table.name) is defined twice\(first)")
        }
        schema.tables.append(table)
    }

    mutating func applyIndexes() throws {
        for (statement, file) in pendingIndexes {
            guard case .createIndex(let create) = statement.statement else { continue }
            let location = SchemaLocation(file: file, line: statement.location.line, column: statement.location.column)
            guard let t = schema.tableIndex(create.table.name) else {
                throw SchemaError(location, "index on table \(create.table.name), which no schema file defines")
            }
            let index = TableIndex(create)
            if schema.index(index.name) != nil { throw SchemaError(location, "index \(index.name) is defined twice") }
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
