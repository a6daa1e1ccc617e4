import SQLSyntax
import SchemaModel

/// Lint of one migration file, in the spirit of squawk and strong_migrations: a runner
/// over rules, the ones every engine shares (`commonRules`) and the engine's own
/// (`EngineCapabilities.lintRules`). Warnings never block unless `--strict`.
public struct MigrationLinter: Sendable {
    /// `index-not-concurrent`, `drop-index-used-by-foreign-key`,
    /// `add-column-not-null-without-default`, `drop-column`, `narrowing-type`,
    /// `type-change-rewrites`, `rename-column-used-by-view`.
    public static let commonRules: [any LintRule] = [
        IndexNotConcurrentRule(), DropIndexUsedByForeignKeyRule(), AddColumnNotNullRule(), DropColumnRule(),
        TypeChangeRules(), RenameColumnUsedByViewRule(),
    ]

    /// The engine the files run on.
    public let engine: any EngineCapabilities
    /// The rules run, in order.
    public let rules: [any LintRule]

    /// A linter with the common rules and `engine`'s.
    public init(engine: any EngineCapabilities) {
        self.engine = engine
        self.rules = Self.commonRules + engine.lintRules
    }

    /// Findings for `statements`, checked against the schema as it is before the file
    /// runs (tables created earlier in the same file count as new).
    public func findings(_ statements: [ParsedStatement], file: String, before: Schema) -> [LintFinding] {
        var state = SchemaInterpreter(before)
        return findings(statements, file: file, state: &state)
    }

    /// `findings`, linting against the schema `state` holds and leaving in it the schema
    /// after the statements (what it could apply): a caller linting file after file keeps
    /// one interpreter instead of indexing the schema again for each.
    public func findings(_ statements: [ParsedStatement], file: String, state: inout SchemaInterpreter) -> [LintFinding] {
        var created: Set<String> = []
        var found: [LintFinding] = []
        for (i, parsed) in statements.enumerated() {
            do {
                // Released before `apply`, so the schema is not copied to be changed.
                let context = LintContext(
                    statement: parsed, earlier: statements[..<i], state: state, engine: engine,
                    file: file, created: created)
                for rule in rules { found += rule.check(context) }
            }
            if case .createTable(let create) = parsed.statement { created.insert(create.name.name.lowercased()) }
            try? state.apply(parsed.statement)
        }
        return found
    }

    /// The table a statement changes, if it changes one.
    public static func table(of statement: SQLStatement) -> String? {
        switch statement {
        case .alterTable(let alter): alter.table.name
        case .createIndex(let index): index.table.name
        case .createTable(let create): create.name.name
        default: nil
        }
    }
}
