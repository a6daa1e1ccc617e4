import Foundation
import SQLSyntax
import SchemaModel

/// Errors engines report; descriptions are safe to show users and name no command-line
/// flag (the CLI adds its hints, e.g. for `isLockWait`).
public enum EngineError: Error, Sendable, Hashable, LocalizedError, CustomStringConvertible {
    /// A statement failed while running; everything of its migration was rolled back,
    /// except what `aftermath` says.
    case statementFailed(location: SourceLocation, statement: String, message: String, aftermath: Aftermath = Aftermath())
    /// A statement this engine cannot run, found before anything ran.
    case unsupported(location: SourceLocation, message: String)
    /// The database URL or file cannot be used.
    case connection(String)
    /// Another migrator holds the lock for longer than the timeout.
    case lockTimeout(seconds: Double, holder: String)
    /// Another connection held the database's write lock for longer than the timeout.
    case busy(String)
    /// Anything else the database reported.
    case database(String)
    /// The database is reached in a way migrations cannot run safely through (a pooler in
    /// transaction mode), found before anything ran.
    case unusableConnection(String)

    /// What a failed migration left behind besides the rollback.
    public struct Aftermath: Sendable, Hashable {
        /// Steps committed before the failure that could not be undone (data a TRUNCATE
        /// removed, a column dropped for good), newest first.
        public var notUndone: [String]
        /// Why undoing the steps committed before the failure failed; the next run retries.
        public var undoError: String?
        /// The statement gave up waiting for a lock.
        public var lockWait: Bool

        /// What a failure left behind; by default, nothing.
        public init(notUndone: [String] = [], undoError: String? = nil, lockWait: Bool = false) {
            self.notUndone = notUndone
            self.undoError = undoError
            self.lockWait = lockWait
        }

        /// Whether something committed was left in place, so the database is not as it was.
        public var leftChanges: Bool { !notUndone.isEmpty || undoError != nil }

        var description: String {
            var text = ""
            if !notUndone.isEmpty {
                text +=
                    "; the steps committed before the failure were undone except: " + notUndone.joined(separator: "; ")
                    + " (committed, cannot be undone)"
            }
            if let undoError {
                text += "; undoing the steps committed before the failure failed too: \(undoError) (the next run retries)"
            }
            return text
        }
    }

    /// Whether something committed was left in place (`Aftermath.leftChanges`).
    public var leftChanges: Bool {
        if case .statementFailed(_, _, _, let aftermath) = self { return aftermath.leftChanges }
        return false
    }

    /// Whether the failure was giving up waiting for a lock held by someone else.
    public var isLockWait: Bool {
        switch self {
        case .lockTimeout, .busy: true
        case .statementFailed(_, _, _, let aftermath): aftermath.lockWait
        default: false
        }
    }

    /// The error for people, with file, line and column when there are.
    public var description: String {
        switch self {
        case .statementFailed(let location, let statement, let message, let aftermath):
            return "\(location): \(message)\(aftermath.description)\n  in statement: \(Self.firstLine(statement))"
        case .unsupported(let location, let message):
            return "\(location): \(message)"
        case .connection(let message), .database(let message), .unusableConnection(let message), .busy(let message):
            return message
        case .lockTimeout(let seconds, let holder):
            return "another migration is running (\(holder)); gave up waiting for the migrator lock after \(Self.format(seconds))s"
        }
    }

    /// Same as `description`.
    public var errorDescription: String? { description }

    static func firstLine(_ statement: String) -> String {
        let line = statement.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? statement
        return line.count > 120 ? String(line.prefix(117)) + "..." : line + (statement.contains("\n") ? " ..." : "")
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
