import Foundation
import MigrationEngine
import SQLSyntax
import SchemaDiff
import SchemaModel

/// The checks `validate`, `up` and `down` all run on a migration file before anything is
/// applied (DESIGN.md section 7): it parses, an up has a down file that is not empty, the
/// engine can run every statement, dangerous operations are allowed, and lint.
struct Preflight {
    let engine: any DatabaseEngine
    /// `--allow-dangerous`: no file needs the marker.
    let allowDangerous: Bool
    let linter: MigrationLinter

    init(engine: any DatabaseEngine, allowDangerous: Bool) {
        self.engine = engine
        self.allowDangerous = allowDangerous
        self.linter = MigrationLinter(engine: engine.capabilities)
    }

    /// What the checks of one file in one direction found.
    struct Outcome {
        var script: MigrationScript
        /// Dangerous operations the file does not allow: the command refuses to run.
        var dangerous: [LintFinding]
        /// Lint warnings: refused only under `--strict`.
        var warnings: [LintFinding]
    }

    /// Checks `direction` of `file`.
    /// - Parameter before: the schema as it will be when the file runs, to lint against;
    ///   nil to skip lint.
    /// - Throws: `MigrationError` for a file that does not parse or has no usable down
    ///   file, `EngineError.unsupported` for a statement the engine cannot run.
    func check(_ file: MigrationFile, _ direction: MigrationDirection, lintingAgainst before: Schema?) async throws -> Outcome {
        guard let before else { return try await check(file, direction) }
        var state = SchemaInterpreter(before)
        return try await check(file, direction, linting: &state)
    }

    /// `check`, linting against the schema `state` holds and leaving in it the schema after
    /// the file (what applies of it): one interpreter carried from file to file.
    func check(_ file: MigrationFile, _ direction: MigrationDirection, linting state: inout SchemaInterpreter) async throws -> Outcome {
        var outcome = try await check(file, direction)
        outcome.warnings = linter.findings(outcome.script.statements, file: outcome.script.file, state: &state)
        return outcome
    }

    /// The checks without lint.
    private func check(_ file: MigrationFile, _ direction: MigrationDirection) async throws -> Outcome {
        let script = try file.script(direction)
        if direction == .up {
            let down = try file.script(.down)
            if down.statements.isEmpty && !script.statements.isEmpty {
                throw MigrationError.invalidInput(
                    "\(down.file): the down file has no statements; write the SQL that reverts \(file.id) (\(file.description))")
            }
        }
        try await MigrationExecutor.wrap { try await engine.validate(script) }
        var outcome = Outcome(script: script, dangerous: [], warnings: [])
        let text = (direction == .up ? file.upText : file.downText) ?? ""
        if !allowDangerous && !DangerousOperations.isAllowed(in: text) {
            // A down may drop what its own up created (an up that no longer parses counts as creating nothing).
            let up = direction == .down ? (try? file.script(.up))?.statements ?? [] : []
            let created = DangerousOperations.tablesCreated(by: up)
            outcome.dangerous = DangerousOperations.findings(script.statements, file: script.file, createdByUp: created)
        }
        return outcome
    }
}
