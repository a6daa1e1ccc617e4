import SQLSyntax
import SchemaModel

/// The ALTER TABLE actions of a statement, with the table they change.
private func actions(_ context: LintContext) -> (AlterTable, [AlterTableAction])? {
    guard case .alterTable(let alter) = context.statement.statement else { return nil }
    return (alter, alter.actions)
}

/// `add-column-not-null-without-default`: fails on a table with rows.
struct AddColumnNotNullRule: LintRule {
    func check(_ context: LintContext) -> [LintFinding] {
        guard let (alter, actions) = actions(context), context.existing(alter.table.name) != nil else { return [] }
        let table = alter.table.name
        return actions.compactMap { action in
            guard case .addColumn(let column, _) = action, column.isNotNull, column.defaultValue == nil else { return nil }
            return context.warning(
                "add-column-not-null-without-default",
                "ADD COLUMN \(table).\(column.name) NOT NULL without a DEFAULT fails if \(table) has rows",
                fix: "add it nullable, backfill it, then SET NOT NULL; or give it a DEFAULT")
        }
    }
}

/// `drop-column`: the column's values are gone.
struct DropColumnRule: LintRule {
    func check(_ context: LintContext) -> [LintFinding] {
        guard let (alter, actions) = actions(context), let existing = context.existing(alter.table.name) else { return [] }
        let table = alter.table.name
        return actions.compactMap { action in
            guard case .dropColumn(let name, _, _) = action, existing.column(name) != nil else { return nil }
            return context.warning(
                "drop-column", "DROP COLUMN \(table).\(name) loses the column's data",
                fix: "make sure no code reads it any more, and keep a copy of the data if it may be needed")
        }
    }
}

/// `narrowing-type` (values may not fit; `TypeWidening`) and `type-change-rewrites` (the
/// engine rewrites every row, `EngineCapabilities.typeChangeRewrites`, and the statement
/// does not ask for the online form).
struct TypeChangeRules: LintRule {
    func check(_ context: LintContext) -> [LintFinding] {
        guard let (alter, actions) = actions(context), let existing = context.existing(alter.table.name) else { return [] }
        let table = alter.table.name
        var found: [LintFinding] = []
        for case .alterColumnType(let name, let type, _, _) in actions {
            guard let old = existing.column(name) else { continue }
            if !TypeWidening.isWidening(from: old.type, to: type) {
                found.append(
                    context.warning(
                        "narrowing-type",
                        "ALTER COLUMN \(table).\(name) TYPE \(type) from \(old.type?.description ?? "no type") can fail on existing values or change them",
                        fix: "check that every value fits first; a failing row rolls the migration back"))
            }
            if !alter.concurrently, context.engine.typeChangeRewrites(from: old.type, to: type) {
                found.append(
                    context.warning(
                        "type-change-rewrites", "ALTER COLUMN \(table).\(name) TYPE rewrites every row of \(table)",
                        fix: "add CONCURRENTLY at the end of the statement so that it runs online"))
            }
        }
        return found
    }
}

/// `rename-column-used-by-view`: the view would read a column that is gone.
struct RenameColumnUsedByViewRule: LintRule {
    func check(_ context: LintContext) -> [LintFinding] {
        guard let (alter, actions) = actions(context) else { return [] }
        let table = alter.table.name
        var found: [LintFinding] = []
        for case .renameColumn(let from, _) in actions {
            for view in context.schema.objects where view.kind == .view {
                let words = Set((try? Lexer.tokenize(view.sql))?.compactMap { $0.identifierValue?.lowercased() } ?? [])
                if words.contains(table.lowercased()) && words.contains(from.lowercased()) {
                    found.append(
                        context.warning(
                            "rename-column-used-by-view", "view \(view.name) uses \(table).\(from), which this renames",
                            fix: "drop and recreate view \(view.name) with the new name in the same migration"))
                }
            }
        }
        return found
    }
}
