/// A SQL expression kept as its tokens: defaults, checks, `USING`, `WHERE`, index keys.
///
/// The parser finds where an expression ends but does not interpret it; each dialect
/// renders the tokens (SQLite rewrites `x::T` into `CAST(x AS T)`).
public struct Expr: Sendable, Hashable {
    public var tokens: [Token]

    public init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// The expression as written, re-spaced from its tokens.
    public var sql: String { Self.join(tokens) }

    /// The single column name this expression is, if it is one bare or quoted identifier.
    public var columnName: String? {
        guard tokens.count == 1, let value = tokens[0].identifierValue else { return nil }
        return value
    }

    /// Every identifier the expression mentions (used to find the columns it depends on).
    public var identifiers: Set<String> {
        Set(tokens.compactMap { $0.identifierValue?.lowercased() })
    }

    /// Joins tokens with a single space where the source had whitespace.
    public static func join(_ tokens: [Token]) -> String {
        var out = ""
        for (i, token) in tokens.enumerated() {
            if i > 0 && token.spaceBefore { out += " " }
            out += token.text
        }
        return out
    }
}
