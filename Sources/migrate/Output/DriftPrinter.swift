import MigrationKit

/// Prints what `migrate check` found: for each disagreement, between what, and the
/// steps that would reconcile them.
struct DriftPrinter {
    let console: Console
    let verbose: Bool

    func print(_ report: DriftReport) {
        if console.format == .json {
            console.json(DriftDocument(report))
            return
        }
        for note in report.notes { console.line("Note: " + note) }
        if report.inSync {
            console.line(console.titled("✅", "No drift: schema files, migrations and database agree"))
            return
        }
        console.line(console.titled("❌", "Drift found:"))
        for drift in report.drifts {
            console.line("- \(drift.between.rawValue): \(drift.summary)")
            for step in drift.steps {
                console.line("    \(step.comment) [\(step.safety.rawValue)]")
                for statement in step.up { console.line("      " + statement.replacingOccurrences(of: "\n", with: "\n      ") + ";") }
            }
        }
    }
}

struct DriftDocument: Encodable {
    struct Item: Encodable {
        var between: String
        var summary: String
        var differences: [Difference]
    }

    struct Difference: Encodable {
        var change: String
        var safety: String
        var sql: [String]
    }

    var inSync: Bool
    var drift: [Item]
    var notes: [String]

    init(_ report: DriftReport) {
        inSync = report.inSync
        notes = report.notes
        drift = report.drifts.map { drift in
            Item(
                between: drift.between.rawValue, summary: drift.summary,
                differences: drift.steps.map { Difference(change: $0.comment, safety: $0.safety.rawValue, sql: $0.up) })
        }
    }
}
