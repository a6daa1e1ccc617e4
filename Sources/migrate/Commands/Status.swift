import ArgumentParser
import MigrationKit

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show every migration: Applied, Pending, Failed, Modified (changed since applied) or Missing (file gone).")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let executor = try MigrationExecutor(configuration: options.configuration())
        let states = try await executor.status()
        let console = Console(format: options.format)
        if options.format == .json {
            console.json(StatusReport(states))
        } else {
            console.statusTable(states)
        }
    }
}
