import SQLSyntax
import SchemaModel

/// Reads the desired-state YAML of objects other than tables: under each kind's key
/// (`views:`, `functions:`, `types:`, ...; `SchemaObject.Kind.yamlKey`) a mapping of
/// names to the SQL that creates the object, e.g.
///
/// ```yaml
/// extensions: [pgcrypto]                       # or a mapping of names to nothing
/// types:
///   mood: CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')
/// views:
///   active_users: SELECT id, email FROM users WHERE active   # a view's query alone will do
/// triggers:
///   users_touch: |
///     CREATE TRIGGER users_touch BEFORE UPDATE ON users
///     FOR EACH ROW EXECUTE FUNCTION touch()
/// ```
///
/// The SQL is one or more statements of the engine's DDL; the first must create an
/// object of the key's kind with the key's name.
struct ObjectReader {
    /// Reads one kind's section.
    static func read(kind: SchemaObject.Kind, _ section: YAMLNode) throws -> [(SchemaObject, SchemaLocation)] {
        if let scalar = section.node.scalar, scalar.style == .plain, ["", "~", "null"].contains(scalar.string) { return [] }
        if section.node.sequence != nil, kind == .schema || kind == .extension {
            return try section.strings("\(kind.rawValue) names").map { name, node in
                (try object(kind: kind, name: name, sql: nil, node), node.location)
            }
        }
        return try section.mapping("a mapping of \(kind.rawValue) names to the SQL that creates them").map { name, keyNode, value in
            let empty = value.node.scalar.map { $0.style == .plain && ["", "~", "null"].contains($0.string) } ?? false
            let sql = empty ? nil : try value.string("the SQL that creates \(kind.rawValue) \(name)")
            return (try object(kind: kind, name: name, sql: sql, empty ? keyNode : value), keyNode.location)
        }
    }

    /// The object `sql` creates, checked against the key's kind and name.
    static func object(kind: SchemaObject.Kind, name: String, sql: String?, _ node: YAMLNode) throws -> SchemaObject {
        let quoted = SQLIdentifier.quote(name)
        var text = sql ?? ""
        switch kind {
        case .schema where sql == nil: text = "CREATE SCHEMA \(quoted)"
        case .extension where sql == nil: text = "CREATE EXTENSION IF NOT EXISTS \(quoted)"
        case .view, .materializedView:
            let head = text.drop { $0.isWhitespace }.prefix(6).uppercased()
            if head == "SELECT" || head.hasPrefix("WITH") || head.hasPrefix("VALUES") { text = "CREATE \(kind.keyword) \(quoted) AS \(text)" }
        default:
            guard sql != nil else { throw node.error("expected the SQL that creates \(kind.rawValue) \(name)") }
        }
        let statements: [ParsedStatement]
        do {
            statements = try Parser.parse(text)
        } catch {
            throw SchemaError(node.location(ofFragmentLine: error.location.line, column: error.location.column), error.message)
        }
        var interpreter = SchemaInterpreter()
        if kind == .constraint, statements.count == 1, let object = SchemaObject.constraint(in: statements[0].statement) {
            guard object.name.lowercased() == name.lowercased() || "\(object.name) on \(object.table ?? "")".lowercased() == name.lowercased()
            else { throw node.error("the SQL adds constraint \(object.name), but its key is \(name)") }
            return object
        }
        guard let first = statements.first, case .other(let passThrough) = first.statement,
            case .create(let created) = ObjectStatement.recognize(passThrough), created.kind == kind
        else {
            throw node.error("expected a statement that creates \(kind.rawValue) \(name), e.g. CREATE \(kind.keyword) \(quoted) ...")
        }
        let shown = created.kind == .comment ? created.name : created.qualifiedName
        let spellings = [shown, created.name, SchemaYAMLWriter.yamlName(created), created.table.map { "\(created.qualifiedName) on \($0)" } ?? ""]
        guard spellings.contains(where: { $0.lowercased() == name.lowercased() }) else {
            throw node.error("the SQL creates \(kind.rawValue) \(shown), but its key is \(name)")
        }
        do {
            try interpreter.apply(statements)
        } catch {
            throw SchemaError(node.location(ofFragmentLine: error.location.line, column: error.location.column), error.message)
        }
        var object = interpreter.schema.objects.first { $0.key == created.key } ?? created
        // Statements after the first (an index of a materialized view, OWNED BY) belong to it too.
        object.statements = statements.map { $0.source.text.trimmingTrailingSemicolon }.filter { !$0.isEmpty }
        return object
    }
}
