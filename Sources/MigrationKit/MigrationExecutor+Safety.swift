import Foundation
import MigrationEngine
import SQLSyntax
import SchemaDiff
import SchemaModel

/// The safety checks of DESIGN.md section 7 that run before anything is applied.
extension MigrationExecutor {
    /// Dangerous operations not allowed (by `allowDangerous` or the file's marker) and lint
    /// warnings for `scripts`, each checked against the schema as it will be when it runs.
    func safetyFindings(
        _ scripts: [MigrationScript], files: [MigrationFile], direction: MigrationDirection, engine: any DatabaseEngine
    ) async throws -> (dangerous: [LintFinding], warnings: [LintFinding]) {
        var before = try await Self.wrap { try await engine.introspect() }
        let linter = MigrationLinter(engine: engine.capabilities)
        var dangerous: [LintFinding] = []
        var warnings: [LintFinding] = []
        for script in scripts {
            let file = files.first { $0.version == script.version }
            let text = (direction == .up ? file?.upText : file?.downText) ?? ""
            if !configuration.allowDangerous && !DangerousOperations.isAllowed(in: text) {
                let created = direction == .down ? (try? file?.script(.up)).map { DangerousOperations.tablesCreated(by: $0.statements) } : nil
                dangerous += DangerousOperations.findings(script.statements, file: script.file, createdByUp: created ?? [])
            }
            warnings += linter.findings(script.statements, file: script.file, before: before)
            var interpreter = SchemaInterpreter(before)
            try? interpreter.apply(script.statements, file: script.file)
            before = interpreter.schema
        }
        return (dangerous, warnings)
    }
}
