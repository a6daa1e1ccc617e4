import SQLSyntax
import SchemaModel

/// One finding of the safety checks: a dangerous operation (refused unless allowed) or a
/// lint warning (reported; an error with `--strict`).
public struct LintFinding: Sendable, Hashable, CustomStringConvertible {
    /// How much a finding blocks.
    public enum Severity: String, Sendable, Hashable {
        /// Destroys data wholesale: refused unless allowed.
        case dangerous
        /// Worth a look: reported, refused only with `--strict`.
        case warning
    }

    /// A stable identifier, e.g. `drop-table`, `index-not-concurrent`.
    public var rule: String
    /// How much it blocks.
    public var severity: Severity
    /// The file.
    public var file: String
    /// Where in the file.
    public var location: SourceLocation
    /// What is wrong, naming the object.
    public var message: String
    /// How to do it safely.
    public var fix: String

    /// A finding.
    public init(rule: String, severity: Severity, file: String, location: SourceLocation, message: String, fix: String) {
        self.rule = rule
        self.severity = severity
        self.file = file
        self.location = location
        self.message = message
        self.fix = fix
    }

    /// `file:line:column: [rule] message; fix`
    public var description: String {
        "\(file):\(location.line):\(location.column): [\(rule)] \(message); \(fix)"
    }
}
