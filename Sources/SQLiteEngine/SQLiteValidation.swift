import Foundation
import GRDB
import MigrationEngine
import SQLSyntax
import SchemaModel

/// Static checks that a statement can run on SQLite, before anything runs.
enum SQLiteValidation {
    /// - Throws: `EngineError.unsupported` for syntax SQLite rejects or features it lacks.
    static func check(_ parsed: ParsedStatement, file: String, db: Database, dialect: SQLiteDialect) throws {
        func unsupported(_ message: String) -> EngineError {
            .unsupported(location: parsed.location.in(file: file), message: message)
        }
        switch parsed.statement {
        case .createIndex(let index):
            if let method = index.method { throw unsupported("SQLite has no index methods (USING \(method)); remove USING") }
            if !index.include.isEmpty { throw unsupported("SQLite indexes cannot INCLUDE columns; remove INCLUDE") }
            if index.columns.contains(where: { $0.nulls != nil }) { throw unsupported("SQLite indexes do not take NULLS FIRST/LAST") }
        case .alterTable(let alter):
            for case .addConstraint(let constraint) in alter.actions where constraint.usingIndex != nil {
                throw unsupported("SQLite has no ADD CONSTRAINT ... USING INDEX; write the key's columns, e.g. UNIQUE (email)")
            }
        case .other(let passThrough):
            let sql = dialect.renderTokens(passThrough.tokens)
            do {
                _ = try db.makeStatement(sql: sql)
            } catch let error as DatabaseError {
                // An empty database cannot resolve names; only syntax errors count here.
                let message = error.message ?? "\(error)"
                guard message.contains("syntax error") || message.contains("incomplete input") || message.contains("unrecognized token") else {
                    return
                }
                throw EngineError.unsupported(
                    location: (location(of: message, in: passThrough.tokens) ?? parsed.location).in(file: file), message: message)
            }
        default:
            break
        }
    }

    /// Where SQLite's `near "X": syntax error` points, if X is one of the tokens.
    static func location(of message: String, in tokens: [Token]) -> SourceLocation? {
        guard let start = message.range(of: "near \""), let end = message[start.upperBound...].range(of: "\"") else { return nil }
        let near = String(message[start.upperBound..<end.lowerBound])
        return tokens.first { $0.text == near }?.location
    }
}
