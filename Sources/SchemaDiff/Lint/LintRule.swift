import SQLSyntax
import SchemaModel

/// One lint rule: looks at one statement of a migration file, with the schema as it is
/// when that statement runs, and says what is worth a look. Rules have a stable id
/// (`index-not-concurrent`) and always a fix.
public protocol LintRule: Sendable {
    /// Findings for `context.statement`; empty when there is nothing to say.
    func check(_ context: LintContext) -> [LintFinding]
}

/// What a rule sees of one statement.
public struct LintContext: Sendable {
    /// The statement checked.
    public let statement: ParsedStatement
    /// The statements of the file before it, in order.
    public let earlier: ArraySlice<ParsedStatement>
    /// The schema just before the statement runs.
    public var schema: Schema { state.schema }
    /// The same schema with its lookups: rules find a table or index by name without
    /// searching every table (a history of thousands of migrations is linted file by file).
    let state: SchemaInterpreter
    /// The engine the file runs on.
    public let engine: any EngineCapabilities
    let file: String
    /// Lowercased names of the tables the file created before this statement.
    let created: Set<String>

    /// The table as it was before the file ran, or nil when the file created it (changes
    /// to a table nobody uses yet need no care) or it does not exist.
    public func existing(_ table: String) -> Table? {
        created.contains(table.lowercased()) ? nil : state.table(table)
    }

    /// The table and index of the index called `name`, if any.
    public func index(_ name: String) -> (table: Int, index: Int)? {
        state.index(name)
    }

    /// A warning at the statement, from `rule`.
    public func warning(_ rule: String, _ message: String, fix: String) -> LintFinding {
        LintFinding(rule: rule, severity: .warning, file: file, location: statement.location, message: message, fix: fix)
    }
}
