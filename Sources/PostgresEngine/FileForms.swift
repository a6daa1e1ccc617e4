import SQLSyntax

/// What the statements of a planned PostgreSQL file (`plan` writes the engine's own
/// online forms) tell the engine, so that it runs them as written rather than again
/// its own way: a `SET lock_timeout` is the length of each lock attempt, and a
/// validated `CHECK (c IS NOT NULL)` before `SET NOT NULL` has already done its scan.
enum FileForms {
    /// The seconds of `SET [SESSION | LOCAL] lock_timeout = '50ms'` (or `TO 50`, units
    /// `us`, `ms`, `s`, `min`, `h`, `d`; no unit is milliseconds); 0 (no timeout) reads as
    /// infinity, one try for the whole lock timeout. Nil for any other statement.
    static func lockTimeout(_ statement: PassThrough) -> Double? {
        var words = statement.tokens.map { $0 }
        guard words.first?.isWord("SET") == true else { return nil }
        words.removeFirst()
        if let first = words.first, first.isWord("SESSION") || first.isWord("LOCAL") { words.removeFirst() }
        guard words.count >= 3, words[0].text.lowercased() == "lock_timeout", words[1].isSymbol("=") || words[1].isWord("TO") else { return nil }
        let value = words[2...].map { $0.singleQuotedName ?? $0.text }.joined()
        let digits = value.prefix { $0.isNumber || $0 == "." }
        guard let amount = Double(digits) else { return nil }
        let unit = value.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        let scale: Double
        switch unit {
        case "", "ms": scale = 0.001
        case "us": scale = 0.000_001
        case "s": scale = 1
        case "min": scale = 60
        case "h": scale = 3600
        case "d": scale = 86400
        default: return nil
        }
        return amount == 0 ? .infinity : amount * scale
    }

    /// For each statement, the columns (`CatalogFacts.key(table, column)`) a validated
    /// `CHECK (column IS NOT NULL)` of an earlier statement of the migration proves not
    /// null: added without `NOT VALID`, or added `NOT VALID` and then validated, and not
    /// dropped since.
    static func provenNotNull(_ statements: [SQLStatement]) -> [Set<String>] {
        // Checks by table key, then by name.
        var checks: [String: [String: (column: String, valid: Bool)]] = [:]
        var result: [Set<String>] = []
        for statement in statements {
            result.append(Set(checks.flatMap { table, named in named.values.filter(\.valid).map { table + "." + $0.column } }))
            guard case .alterTable(let alter) = statement else { continue }
            let table = CatalogFacts.key(alter.table)
            for action in alter.actions {
                switch action {
                case .addConstraint(let constraint):
                    guard let name = constraint.name, case .check(let expression) = constraint.kind, let column = notNullColumn(expression) else {
                        continue
                    }
                    checks[table, default: [:]][name] = (column, !constraint.notValid)
                case .validateConstraint(let name):
                    checks[table]?[name]?.valid = true
                case .dropConstraint(let name, _, _):
                    checks[table]?[name] = nil
                default:
                    continue
                }
            }
        }
        return result
    }

    /// The column of `column IS NOT NULL` (parentheses aside).
    static func notNullColumn(_ expression: Expr) -> String? {
        let tokens = expression.tokens.filter { !$0.isSymbol("(") && !$0.isSymbol(")") }
        guard tokens.count == 4, tokens[1].isWord("IS"), tokens[2].isWord("NOT"), tokens[3].isWord("NULL") else { return nil }
        return tokens[0].identifierValue
    }
}
