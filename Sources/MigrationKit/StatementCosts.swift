import MigrationEngine
import SQLSyntax
import SchemaDiff

/// The cost comment of each statement (`EngineCapabilities.costs`, from the live sizes of
/// the tables it works on): written above each statement of a planned file, and printed
/// under it by `up --dry-run`, by the same function, so the two say the same.
enum StatementCosts {
    /// The plan with each step's statements' costs.
    static func annotated(_ plan: Plan, engine: any DatabaseEngine) async -> Plan {
        guard !plan.isEmpty else { return plan }
        let ups = plan.steps.flatMap(\.up)
        let downs = plan.steps.reversed().flatMap(\.down)
        let parsedUps = ups.map(parse)
        let parsedDowns = downs.map(parse)
        let sizes = (try? await engine.tableSizes(tables(parsedUps.compactMap { $0 } + parsedDowns.compactMap { $0 }))) ?? [:]
        var upCosts = costs(parsedUps, engine: engine, sizes: sizes)[...]
        var downCosts = costs(parsedDowns, engine: engine, sizes: sizes)[...]
        var plan = plan
        for i in plan.steps.indices {
            plan.steps[i].upCosts = Array(upCosts.prefix(plan.steps[i].up.count))
            upCosts = upCosts.dropFirst(plan.steps[i].up.count)
        }
        for i in plan.steps.indices.reversed() {
            plan.steps[i].downCosts = Array(downCosts.prefix(plan.steps[i].down.count))
            downCosts = downCosts.dropFirst(plan.steps[i].down.count)
        }
        return plan
    }

    /// The cost summary of each statement of each script, in order.
    static func summaries(_ scripts: [MigrationScript], engine: any DatabaseEngine) async -> [[String?]] {
        let statements = scripts.map { $0.statements.map(\.statement) }
        let sizes = (try? await engine.tableSizes(tables(statements.flatMap { $0 }))) ?? [:]
        return statements.map { engine.capabilities.costs(of: $0, sizes: sizes).map { $0?.summary } }
    }

    /// Costs of statements of which some did not parse (they get none).
    private static func costs(_ statements: [SQLStatement?], engine: any DatabaseEngine, sizes: [String: TableSize]) -> [String?] {
        var known = engine.capabilities.costs(of: statements.compactMap { $0 }, sizes: sizes)[...]
        return statements.map { statement in
            guard statement != nil, let cost = known.popFirst() else { return nil }
            return cost?.summary
        }
    }

    private static func parse(_ sql: String) -> SQLStatement? {
        (try? Parser.parse(sql + ";"))?.first?.statement
    }

    /// The tables the statements work on, by name as written.
    static func tables(_ statements: [SQLStatement]) -> Set<String> {
        Set(statements.flatMap(\.tablesNamed))
    }
}
