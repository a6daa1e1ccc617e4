import MigrationKit

/// Prints what `migrate plan` did: the steps, and the files written (or, in a dry run,
/// their contents).
struct PlanPrinter {
    let console: Console
    let verbose: Bool
    let dryRun: Bool

    func print(_ result: PlanResult) {
        if console.format == .json {
            console.json(PlanReport(result, dryRun: dryRun))
            return
        }
        guard !result.plan.isEmpty else {
            console.line(console.titled("✅", "Schema is up to date; nothing to plan"))
            return
        }
        if !result.pending.isEmpty {
            console.line("Planned on top of pending migration\(result.pending.count == 1 ? "" : "s") \(result.pending.joined(separator: ", ")).")
        }
        console.line(console.titled("📝", "\(result.plan.steps.count) step\(result.plan.steps.count == 1 ? "" : "s"):"))
        for (n, step) in result.plan.steps.enumerated() {
            console.line("  \(n + 1). [\(step.safety.rawValue)] \(step.comment)")
            if verbose {
                for statement in step.up { console.line("       " + statement.replacingOccurrences(of: "\n", with: "\n       ") + ";") }
            }
        }
        for warning in result.warnings { Console.warning(warning) }
        if dryRun {
            console.line()
            console.line("-- up (dry run, nothing written)")
            console.line(result.plan.upSQL)
            console.line()
            console.line("-- down")
            console.line(result.plan.downSQL)
        } else if let up = result.upFile, let down = result.downFile {
            console.line(console.icon("✅", plain: "Created") + " " + up)
            console.line(console.icon("✅", plain: "Created") + " " + down)
            console.line("Review them, then run `migrate up`.")
        }
    }
}

struct PlanReport: Encodable {
    struct Step: Encodable {
        var comment: String
        var safety: String
        var up: [String]
        var down: [String]
    }

    var status: String
    var dryRun: Bool
    var description: String?
    var up: String?
    var down: String?
    var pending: [String]
    var steps: [Step]
    var warnings: [String]

    init(_ result: PlanResult, dryRun: Bool) {
        status = result.plan.isEmpty ? "up_to_date" : "planned"
        self.dryRun = dryRun
        description = result.plan.isEmpty ? nil : result.description
        up = result.upFile
        down = result.downFile
        pending = result.pending
        warnings = result.warnings
        steps = result.plan.steps.map { Step(comment: $0.comment, safety: $0.safety.rawValue, up: $0.up, down: $0.down) }
    }
}
