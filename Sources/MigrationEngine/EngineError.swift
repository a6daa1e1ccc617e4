import Foundation
import SQLSyntax

/// Errors engines report; descriptions are safe to show users.
public enum EngineError: Error, Sendable, LocalizedError, CustomStringConvertible {
    /// A statement failed while running; everything of its migration was rolled back.
    case statementFailed(file: String, location: SourceLocation, statement: String, message: String)
    /// A statement this engine cannot run, found before anything ran.
    case unsupported(file: String, location: SourceLocation, message: String)
    /// The database URL or file cannot be used.
    case connection(String)
    /// Another migrator holds the lock for longer than the timeout.
    case lockTimeout(seconds: Double, holder: String)
    /// Anything else the database reported.
    case database(String)
    /// The database is reached in a way migrations cannot run safely through (a pooler in
    /// transaction mode), found before anything ran.
    case unusableConnection(String)

    public var description: String {
        switch self {
        case .statementFailed(let file, let location, let statement, let message):
            return "\(file):\(location.line):\(location.column): \(message)\n  in statement: \(Self.firstLine(statement))"
        case .unsupported(let file, let location, let message):
            return "\(file):\(location.line):\(location.column): \(message)"
        case .connection(let message), .database(let message), .unusableConnection(let message):
            return message
        case .lockTimeout(let seconds, let holder):
            return "another migration is running (\(holder)); gave up waiting for the migrator lock after \(Self.format(seconds))s (raise --lock-timeout to wait longer)"
        }
    }

    public var errorDescription: String? { description }

    /// What an engine writes in a failure's message when a step it had committed could
    /// not be undone (data a TRUNCATE removed, say), or undoing failed, so that the
    /// headline does not claim the database is as it was.
    public static let notUndone = "cannot be undone"
    public static let undoFailed = "undoing the steps committed before the failure failed too"

    /// True when a failure's message says something committed was left in place.
    public static func leftChanges(_ message: String) -> Bool {
        message.contains(notUndone) || message.contains(undoFailed)
    }

    static func firstLine(_ statement: String) -> String {
        let line = statement.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? statement
        return line.count > 120 ? String(line.prefix(117)) + "..." : line + (statement.contains("\n") ? " ..." : "")
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
