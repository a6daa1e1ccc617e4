import Foundation
import SQLSyntax

/// Operations that destroy data wholesale (DESIGN.md section 7): `DROP TABLE`,
/// `TRUNCATE`, `DELETE` or `UPDATE` without `WHERE`. `up` and `down` refuse them unless
/// `--allow-dangerous` is given or the file carries the marker comment
/// `-- migrate:allow-dangerous` (which `plan --allow-destructive` writes).
public enum DangerousOperations {
    /// The comment that allows dangerous operations in one file.
    public static let marker = "-- migrate:allow-dangerous"

    /// Whether `text` carries the marker on a line of its own (anything may follow it).
    public static func isAllowed(in text: String) -> Bool {
        text.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix(marker) }
    }

    /// Lowercased names of the tables `up` creates (without `IF NOT EXISTS`, which may
    /// find a table that was there before): a down file that drops or empties only these
    /// loses nothing the migration did not add.
    public static func tablesCreated(by up: [ParsedStatement]) -> Set<String> {
        var created: Set<String> = []
        for parsed in up {
            switch parsed.statement {
            case .createTable(let create) where !create.ifNotExists && !create.temporary: created.insert(create.name.name.lowercased())
            case .dropTable(let drop): for name in drop.names { created.remove(name.name.lowercased()) }
            default: break
            }
        }
        return created
    }

    /// The dangerous operations of `statements`.
    /// - Parameter createdByUp: for a down file, the tables its own up creates
    ///   (`tablesCreated(by:)`); dropping or emptying those is not dangerous.
    public static func findings(_ statements: [ParsedStatement], file: String, createdByUp: Set<String> = []) -> [LintFinding] {
        let fix = "if that is intended, add the line '\(marker)' to the file, or allow dangerous operations for the run"
        var found: [LintFinding] = []
        for parsed in statements {
            func add(_ rule: String, _ message: String) {
                found.append(LintFinding(rule: rule, severity: .dangerous, file: file, location: parsed.location, message: message, fix: fix))
            }
            switch parsed.statement {
            case .dropTable(let drop) where !drop.names.allSatisfy({ createdByUp.contains($0.name.lowercased()) }):
                add("drop-table", "DROP TABLE \(drop.names.map(\.description).joined(separator: ", ")) destroys every row")
            case .truncate(let truncate) where !truncate.tables.allSatisfy({ createdByUp.contains($0.name.lowercased()) }):
                add("truncate", "TRUNCATE \(truncate.tables.map(\.description).joined(separator: ", ")) destroys every row")
            case .other(let statement)
            where (statement.kind == "DELETE" || statement.kind == "UPDATE")
                && !createdByUp.contains(statement.dataTarget?.lowercased() ?? ""):
                if !hasTopLevelWhere(statement.tokens) {
                    let verb = statement.kind
                    add(
                        verb == "DELETE" ? "delete-without-where" : "update-without-where",
                        "\(verb) without WHERE \(verb == "DELETE" ? "removes" : "changes") every row of \(statement.dataTarget ?? "the table")")
                }
            default:
                break
            }
        }
        return found
    }

    static func hasTopLevelWhere(_ tokens: [Token]) -> Bool {
        var depth = 0
        for token in tokens {
            if token.isSymbol("(") { depth += 1 }
            if token.isSymbol(")") { depth -= 1 }
            if depth == 0 && token.isWord("WHERE") { return true }
        }
        return false
    }
}
