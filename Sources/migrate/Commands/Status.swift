import ArgumentParser
import MigrationKit

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show every migration: Applied, Pending, Failed, Modified (changed since applied) or Missing (file gone).")

    @OptionGroup var options: GlobalOptions

    func validate() throws { try options.requireTextOrJSON() }

    func run() async throws {
        let executor = try MigrationExecutor(configuration: options.configuration())
        let states = try await executor.status()
        let interrupted = try await executor.interruptedOperations()
        let console = Console(format: options.format)
        if options.format == .json {
            console.json(StatusReport(states, interrupted: interrupted))
        } else {
            console.statusTable(states)
            for operation in interrupted {
                let what =
                    operation.table.isEmpty
                    ? "Migration \(operation.version)" : "Online rebuild of \(operation.table) (migration \(operation.version))"
                let progress =
                    operation.table.isEmpty
                    ? "\(operation.phase), \(operation.rowsDone) step(s) committed" : "\(operation.phase) after \(operation.rowsDone) rows"
                if let holder = operation.holder {
                    console.line(console.titled("⏳", "\(what) is running now (\(holder)): \(progress)."))
                } else {
                    console.line(
                        console.titled(
                            "⚠️",
                            "\(what) was interrupted during \(progress); "
                                + "the next `migrate up` or `migrate down` finishes or undoes it first."))
                }
            }
        }
    }
}
