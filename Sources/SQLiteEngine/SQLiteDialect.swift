import Foundation
import SQLSyntax
import SchemaModel

/// SQLite's spelling of the migration dialect.
///
/// Types keep their declared names (SQLite derives affinity from them) except where
/// the name would give the wrong affinity or lose meaning: `uuid`, `json`, `jsonb` become
/// TEXT, `bytea` BLOB, `serial`/`bigserial` INTEGER. PostgreSQL casts `x::T` become
/// `CAST(x AS T)`, and `now()` becomes `CURRENT_TIMESTAMP`.
public struct SQLiteDialect: SQLDialect {
    /// The SQLite dialect.
    public init() {}

    /// `CREATE TABLE` for a rebuilt table: columns and constraints the change did not touch
    /// exactly as the original definition wrote them (`ColumnDef.source`), the others rendered.
    func rebuiltTable(_ table: CreateTable) -> String {
        var parts = table.columns.map { $0.source ?? columnDefinition($0) }
        parts += table.constraints.map { $0.source ?? tableConstraint($0) }
        var sql = "CREATE TABLE " + quote(table.name)
        sql += " (\n  " + parts.joined(separator: ",\n  ") + "\n)"
        if !table.options.isEmpty { sql += " " + table.options.joined(separator: ", ") }
        return sql
    }

    /// The type as SQLite stores it in a declaration.
    public func render(_ type: DataType) -> String {
        switch type.portable {
        case .uuid, .json, .jsonb: return "TEXT"
        case .blob: return "BLOB"
        case .serial, .bigserial, .integer: return "INTEGER"
        case .some, .none:
            if type.arrayDimensions > 0 { return "TEXT" }
            var plain = type
            plain.name = plain.name.uppercased()
            return plain.description
        }
    }

    /// The expression in SQLite's spelling.
    public func render(_ expression: Expr) -> String {
        renderTokens(expression.tokens)
    }

    /// Renders tokens, rewriting casts; used for pass-through statements too.
    public func renderTokens(_ tokens: [Token]) -> String {
        guard tokens.contains(where: { $0.isSymbol("::") || $0.isWord("now") }) else {
            return Expr.join(tokens)
        }
        return CastRewriter(dialect: self).rewrite(tokens).map { ($0.spaceBefore ? " " : "") + $0.text }
            .joined().trimmingLeadingSpace()
    }
}

extension String {
    func trimmingLeadingSpace() -> String {
        hasPrefix(" ") ? String(dropFirst()) : self
    }
}

/// Rewrites `operand::type` into `CAST(operand AS type)` over a token list.
struct CastRewriter {
    let dialect: SQLiteDialect

    /// A rendered piece: a token or a group already rewritten.
    struct Piece {
        var text: String
        var spaceBefore: Bool
        var token: Token?
        var isGroup = false
    }

    func rewrite(_ tokens: [Token]) -> [Piece] {
        var pieces: [Piece] = []
        var i = 0
        while i < tokens.count {
            let token = tokens[i]
            if token.isSymbol("(") {
                let close = matchingParen(tokens, from: i)
                let inner = rewrite(Array(tokens[(i + 1)..<close]))
                let innerText = inner.map { ($0.spaceBefore ? " " : "") + $0.text }.joined().trimmingLeadingSpace()
                let closing = close < tokens.count ? ")" : ""
                pieces.append(Piece(text: "(" + innerText + closing, spaceBefore: token.spaceBefore, isGroup: true))
                i = close + 1
            } else if token.isSymbol("::"), !pieces.isEmpty {
                let (typeText, next) = castType(tokens, from: i + 1)
                var operand = [pieces.removeLast()]
                if operand[0].isGroup, let previous = pieces.last, previous.token?.kind == .word {
                    operand.insert(pieces.removeLast(), at: 0)
                }
                while pieces.count >= 2, pieces.last?.token?.isSymbol(".") == true {
                    operand.insert(pieces.removeLast(), at: 0)
                    operand.insert(pieces.removeLast(), at: 0)
                }
                let operandText = operand.map { ($0.spaceBefore ? " " : "") + $0.text }.joined().trimmingLeadingSpace()
                pieces.append(Piece(text: "CAST(\(operandText) AS \(typeText))", spaceBefore: operand[0].spaceBefore, isGroup: true))
                i = next
            } else if token.isWord("now"), i + 2 < tokens.count, tokens[i + 1].isSymbol("("), tokens[i + 2].isSymbol(")") {
                pieces.append(Piece(text: "CURRENT_TIMESTAMP", spaceBefore: token.spaceBefore, isGroup: true))
                i += 3
            } else {
                pieces.append(Piece(text: token.text, spaceBefore: token.spaceBefore, token: token))
                i += 1
            }
        }
        return pieces
    }

    private func matchingParen(_ tokens: [Token], from start: Int) -> Int {
        var depth = 0
        for i in start..<tokens.count {
            if tokens[i].isSymbol("(") { depth += 1 }
            if tokens[i].isSymbol(")") {
                depth -= 1
                if depth == 0 { return i }
            }
        }
        return tokens.count
    }

    /// Reads the type after `::`; returns its SQLite spelling and the index after it.
    private func castType(_ tokens: [Token], from start: Int) -> (String, Int) {
        var words: [String] = []
        var i = start
        let continuations: Set<String> = ["PRECISION", "VARYING", "WITH", "WITHOUT", "TIME", "ZONE"]
        while i < tokens.count, let value = tokens[i].identifierValue,
            words.isEmpty || continuations.contains(value.uppercased())
        {
            words.append(value)
            i += 1
        }
        var arguments: [String] = []
        if i < tokens.count, tokens[i].isSymbol("(") {
            let close = matchingParen(tokens, from: i)
            arguments = Expr.join(Array(tokens[(i + 1)..<min(close, tokens.count)]))
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            i = close + 1
        }
        var dimensions = 0
        while i + 1 < tokens.count, tokens[i].isSymbol("["), tokens[i + 1].isSymbol("]") {
            dimensions += 1
            i += 2
        }
        let type = DataType(name: words.joined(separator: " "), arguments: arguments, arrayDimensions: dimensions)
        return (dialect.render(type), i)
    }
}
