import SQLSyntax
import SchemaModel

/// Decides when two spellings mean the same thing on one engine, so that the same
/// schema never shows a false difference: types compare as the engine spells them
/// (`int` and `integer` are one type; on SQLite `uuid` is `TEXT`), expressions compare
/// token by token with keywords folded, outer parentheses and `NULL` defaults dropped.
public struct SchemaComparator: Sendable {
    /// The engine's spelling.
    public let dialect: any SQLDialect

    /// A comparator for `dialect`.
    public init(dialect: any SQLDialect) {
        self.dialect = dialect
    }

    /// Whether two types are the same once spelled by the engine.
    public func sameType(_ a: DataType?, _ b: DataType?) -> Bool {
        a == b || typeKey(a) == typeKey(b)
    }

    func typeKey(_ type: DataType?) -> String {
        guard let type else { return "" }
        // Aliases of one portable type (int, int4, integer) are one type.
        let canonical = DataType(name: type.portable?.rawValue ?? type.name, arguments: type.arguments, arrayDimensions: type.arrayDimensions)
        return dialect.render(canonical).lowercased().split(separator: " ").joined(separator: " ")
    }

    /// Whether two expressions (defaults, checks) are the same once spelled by the engine.
    public func sameExpression(_ a: String?, _ b: String?) -> Bool {
        a == b || expressionKey(a) == expressionKey(b)
    }

    /// A canonical form of an expression; `nil` and `NULL` are the same (no default).
    public func expressionKey(_ sql: String?) -> String? {
        guard let sql else { return nil }
        let rendered = dialect.canonical(Expr(sqlText: sql))
        var tokens = Expr(sqlText: rendered).tokens
        while tokens.count >= 2, tokens.first?.isSymbol("(") == true, tokens.last?.isSymbol(")") == true, MigrationFileDialect.isOneGroup(tokens) {
            tokens = Array(tokens.dropFirst().dropLast())
        }
        let key = tokens.map { token in
            switch token.kind {
            case .word: token.text.lowercased()
            case .quotedIdentifier: SQLIdentifier.quote(token.identifierValue ?? token.text).lowercased()
            default: token.text
            }
        }.joined(separator: " ")
        return key == "null" ? nil : key
    }

    /// Whether two columns are the same apart from their names. Primary key columns
    /// compare as NOT NULL whatever they say.
    public func sameColumn(_ a: Column, _ b: Column, inPrimaryKey: Bool) -> Bool {
        sameType(a.type, b.type)
            && (inPrimaryKey || a.nullable == b.nullable)
            && sameExpression(a.defaultValue, b.defaultValue)
            && a.collation?.lowercased() == b.collation?.lowercased()
            && sameGenerated(a.generated, b.generated)
            && a.identity == b.identity
    }

    /// Whether two generated columns compute the same.
    public func sameGenerated(_ a: GeneratedColumn?, _ b: GeneratedColumn?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case (let a?, let b?): a.stored == b.stored && sameExpression(a.expression, b.expression)
        default: false
        }
    }

    /// Whether two indexes are the same.
    public func sameIndex(_ a: TableIndex, _ b: TableIndex) -> Bool {
        if a == b { return true }
        return a.unique == b.unique
            && a.keys.count == b.keys.count
            && zip(a.keys, b.keys).allSatisfy { x, y in
                sameExpression(x.expression, y.expression) && x.descending == y.descending
                    && x.collation?.lowercased() == y.collation?.lowercased()
            }
            && sameExpression(a.predicate, b.predicate)
            && (a.method ?? "btree").lowercased() == (b.method ?? "btree").lowercased()
            && a.include.map { $0.lowercased() } == b.include.map { $0.lowercased() }
            && sameExpression(a.options, b.options)
    }

    /// A foreign key's identity: columns, target and actions (`NO ACTION` is the default).
    /// `referencedColumns` must already be resolved against the target's primary key.
    public func foreignKeyKey(_ key: ForeignKey) -> String {
        [
            key.columns.map { $0.lowercased() }.joined(separator: ","),
            key.referencedTable.lowercased(),
            key.referencedColumns.map { $0.lowercased() }.joined(separator: ","),
            (key.onDelete ?? .noAction).rawValue, (key.onUpdate ?? .noAction).rawValue,
            key.deferrable?.uppercased() ?? "",
        ].joined(separator: "|")
    }
}
