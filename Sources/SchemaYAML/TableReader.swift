import SQLSyntax
import SchemaModel
import Yams

/// Reads one table of desired-state YAML (DESIGN.md section 3) into the model,
/// recording where each part is defined for later errors.
struct TableReader {
    static let tableKeys = ["columns", "primary_key", "indexes", "foreign_keys", "checks", "unique", "renamed_from", "comment", "options"]
    static let columnKeys = [
        "type", "nullable", "default", "primary_key", "unique", "renamed_from", "references", "check", "collate", "comment",
        "autoincrement", "generated",
    ]
    static let indexKeys = ["columns", "unique", "where", "using", "include", "options"]
    static let foreignKeyKeys = ["columns", "references", "on_delete", "on_update", "deferrable"]

    var sources: SchemaSources
    /// Short-form definitions already parsed in this load, by text: schemas repeat
    /// `text not null` and the like thousands of times.
    var definitions: [String: ColumnDef]

    mutating func read(name: String, _ node: YAMLNode) throws -> Table {
        var table = Table(name: name)
        sources.record(node.location, "\(name)")
        var sawColumns = false
        for (key, keyNode, value) in try node.mapping("a mapping with columns, indexes, foreign_keys, ...", allowed: Self.tableKeys) {
            switch key {
            case "columns":
                sawColumns = true
                for (column, _, definition) in try value.mapping("a mapping of column names to definitions") {
                    try readColumn(column, definition, into: &table)
                }
            case "primary_key":
                if table.primaryKey != nil { throw keyNode.error("table \(name) has a primary key on a column already") }
                let columns = try value.strings("column names")
                sources.record(value.location, "\(name).primary_key")
                table.primaryKey = PrimaryKey(columns: columns.map(\.0))
            case "indexes":
                for (index, indexKey, definition) in try value.mapping("a mapping of index names to definitions") {
                    sources.record(indexKey.location, "\(name).index.\(index)")
                    table.indexes.append(try readIndex(index, definition, table: name))
                }
            case "foreign_keys":
                for (fk, fkKey, definition) in try value.mapping("a mapping of foreign key names to definitions") {
                    sources.record(fkKey.location, "\(name).fk.\(fk)")
                    table.foreignKeys.append(try readForeignKey(fk, definition))
                }
            case "checks":
                for (check, _, expression) in try value.mapping("a mapping of check names to SQL conditions") {
                    table.checks.append(Check(name: check, expression: try Self.expression(expression, "a SQL condition")))
                }
            case "unique":
                for (unique, uniqueKey, columns) in try value.mapping("a mapping of constraint names to column lists") {
                    sources.record(uniqueKey.location, "\(name).unique.\(unique)")
                    table.uniques.append(UniqueConstraint(name: unique, columns: try columns.strings("column names").map(\.0)))
                }
            case "renamed_from": table.renamedFrom = try value.string("the table's previous name")
            case "comment": table.comment = try value.string("a comment")
            case "options": table.options = try value.strings("table options such as WITHOUT ROWID").map { $0.0.uppercased() }
            default: break
            }
        }
        if !sawColumns || table.columns.isEmpty { throw node.error("table \(name) needs at least one column under columns:") }
        return table
    }

    private mutating func readColumn(_ name: String, _ node: YAMLNode, into table: inout Table) throws {
        if node.node.scalar != nil {
            // Short form: a SQL column definition.
            let text = try node.string("a column definition such as 'text not null'")
            var definition: ColumnDef
            if let known = definitions[text] {
                definition = known
            } else {
                definition = try Self.fragment(node, "a column definition such as 'text not null'") {
                    try Parser.parseColumnDefinition(name: "c", $0)
                }
                definitions[text] = definition
            }
            definition.name = name
            table.addColumn(definition)
            if let key = table.primaryKey, key.columns.count == 1, key.columns[0] == name {
                sources.record(node.location, "\(table.name).primary_key")
            }
            return
        }
        let pairs = try node.mapping("a column definition: a SQL string or a mapping with type, nullable, default, ...", allowed: Self.columnKeys)
        guard let typeNode = pairs.first(where: { $0.key == "type" })?.value else {
            throw node.error("column \(name) needs a type")
        }
        var column = Column(name: name, type: try Self.type(typeNode))
        var autoincrement = false
        var isKey = false
        for (key, _, value) in pairs {
            switch key {
            case "nullable": column.nullable = try value.bool("nullable")
            case "default": column.defaultValue = try Self.defaultValue(value)
            case "primary_key": isKey = try value.bool("primary_key")
            case "autoincrement": autoincrement = try value.bool("autoincrement")
            case "unique":
                if try value.bool("unique") { table.uniques.append(UniqueConstraint(columns: [name])) }
            case "renamed_from": column.renamedFrom = try value.string("the column's previous name")
            case "references":
                let reference = try Self.fragment(value, "a referenced table such as orgs(id)") { try Parser.parseReference($0) }
                table.foreignKeys.append(ForeignKey(nil, columns: [name], reference))
                sources.record(value.location, "\(table.name).fk.\(table.foreignKeys.count - 1)")
            case "check": table.checks.append(Check(expression: try Self.expression(value, "a SQL condition")))
            case "collate": column.collation = try value.string("a collation name")
            case "comment": column.comment = try value.string("a comment")
            case "generated": column.generated = GeneratedColumn(expression: try Self.expression(value, "a SQL expression"), stored: true)
            default: break
            }
        }
        if isKey {
            if table.primaryKey != nil { throw node.error("table \(table.name) has two primary keys") }
            table.primaryKey = PrimaryKey(columns: [name], autoincrement: autoincrement)
            sources.record(node.location, "\(table.name).primary_key")
        } else if autoincrement {
            throw node.error("autoincrement needs primary_key: true")
        }
        table.columns.append(column)
    }

    private mutating func readIndex(_ name: String, _ node: YAMLNode, table: String) throws -> TableIndex {
        var index = TableIndex(name: name, keys: [])
        let columnsNode: YAMLNode
        if node.node.sequence != nil {
            columnsNode = node
        } else {
            let pairs = try node.mapping("an index definition: a list of columns or a mapping with columns, unique, where", allowed: Self.indexKeys)
            guard let columns = pairs.first(where: { $0.key == "columns" })?.value else { throw node.error("index \(name) needs columns") }
            columnsNode = columns
            for (key, _, value) in pairs {
                switch key {
                case "unique": index.unique = try value.bool("unique")
                case "where": index.predicate = try Self.expression(value, "a SQL condition")
                case "using": index.method = try value.string("an index method such as btree")
                case "include": index.include = try value.strings("column names").map(\.0)
                case "options": index.options = try value.string("index options such as NULLS NOT DISTINCT or WITH (fillfactor = 70)")
                default: break
                }
            }
        }
        for (n, (_, keyNode)) in try columnsNode.strings("index keys (columns or expressions)").enumerated() {
            let key = try Self.fragment(keyNode, "an index key such as email, lower(email) or created_at desc") { try Parser.parseIndexKey($0) }
            sources.record(keyNode.location, "\(table).index.\(name).\(n)")
            index.keys.append(IndexKey(key))
        }
        return index
    }

    private func readForeignKey(_ name: String, _ node: YAMLNode) throws -> ForeignKey {
        let pairs = try node.mapping("a foreign key definition with columns and references", allowed: Self.foreignKeyKeys)
        guard let columns = pairs.first(where: { $0.key == "columns" })?.value else { throw node.error("foreign key \(name) needs columns") }
        guard let target = pairs.first(where: { $0.key == "references" })?.value else {
            throw node.error("foreign key \(name) needs references, such as orgs(id)")
        }
        let reference = try Self.fragment(target, "a referenced table such as orgs(id)") { try Parser.parseReference($0) }
        var key = ForeignKey(name, columns: try columns.strings("column names").map(\.0), reference)
        for (field, _, value) in pairs {
            switch field {
            case "on_delete": key.onDelete = try Self.fragment(value, "an action such as cascade") { try Parser.parseReferentialAction($0) }
            case "on_update": key.onUpdate = try Self.fragment(value, "an action such as cascade") { try Parser.parseReferentialAction($0) }
            case "deferrable":
                key.deferrable = try value.bool("deferrable") ? "DEFERRABLE INITIALLY DEFERRED" : nil
            default: break
            }
        }
        return key
    }

    // MARK: Scalars holding SQL

    static func type(_ node: YAMLNode) throws -> DataType? {
        let definition = try fragment(node, "a column type such as text or varchar(255)") { try Parser.parseColumnDefinition(name: "c", $0) }
        guard definition.constraints.isEmpty else {
            throw node.error("expected only a type here, found constraints; use nullable, default, primary_key, ... for those")
        }
        return definition.type
    }

    static func expression(_ node: YAMLNode, _ what: String) throws -> String {
        try fragment(node, what) { try Parser.parseExpression($0) }.sql
    }

    /// A default: a SQL expression; YAML numbers and booleans are taken as written.
    static func defaultValue(_ node: YAMLNode) throws -> String? {
        let sql = try fragment(node, "a SQL expression such as 'active' (quoted), 0 or CURRENT_TIMESTAMP") { try Parser.parseExpression($0) }
        let keywords: Set<String> = ["NULL", "TRUE", "FALSE", "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME"]
        if sql.tokens.count == 1, sql.tokens[0].kind == .word, !keywords.contains(sql.tokens[0].text.uppercased()) {
            throw node.error("default '\(sql.sql)' is a bare word; a text default is a SQL string: \"'\(sql.sql)'\"")
        }
        return sql.sql
    }

    /// Parses a scalar with a SQL fragment parser, mapping its errors into the file.
    static func fragment<T>(_ node: YAMLNode, _ what: String, _ parse: (String) throws -> T) throws -> T {
        let text = try node.string(what)
        do {
            return try parse(text)
        } catch let error as SQLSyntaxError {
            throw SchemaError(node.location(ofFragmentLine: error.location.line, column: error.location.column), error.message)
        }
    }
}

/// Where each table, column, index and key of the desired state is defined.
public struct SchemaSources: Sendable {
    var locations: [String: SchemaLocation] = [:]

    mutating func record(_ location: SchemaLocation, _ path: String) {
        locations[path.lowercased()] = location
    }

    /// The location of `path` (`users`, `users.email`, `users.index.idx_email`), if known.
    public func location(_ path: String) -> SchemaLocation? {
        locations[path.lowercased()]
    }
}
