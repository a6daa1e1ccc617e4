import MigrationEngine
import MigrationKit
import SchemaDiff

/// A lint finding as a JSON document: `{"event": "lint", "rule", "severity", "file", "line", "column", "message", "fix"}`.
struct LintLine: Encodable {
    var event = "lint"
    var rule: String
    var severity: String
    var file: String
    var line: Int
    var column: Int
    var message: String
    var fix: String

    init(_ finding: LintFinding) {
        rule = finding.rule
        severity = finding.severity.rawValue
        file = finding.file
        line = finding.location.line
        column = finding.location.column
        message = finding.message
        fix = finding.fix
    }
}
