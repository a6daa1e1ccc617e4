import ArgumentParser
import MigrationKit

struct Version: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the current version: the highest-numbered applied migration.",
        discussion: """
            Prints the migration ID alone (`003`), or `none` when no migration is applied; a failed or pending
            migration is named on standard error. With --format json: {"version":3,"id":"003",...}.
            Example: migrate version --format json
            """)

    @OptionGroup var options: GlobalOptions

    func validate() throws { try options.requireTextOrJSON() }

    func run() async throws {
        let executor = try MigrationExecutor(configuration: options.configuration())
        let version = try await executor.version()
        let console = Console(format: options.format)
        if options.format == .json {
            console.json(VersionReport(version))
            return
        }
        console.line(version.current?.id ?? "none")
        if !version.failed.isEmpty {
            Console.warning("migration \(version.failed.joined(separator: ", ")) failed and was rolled back; `migrate up` retries it")
        }
        if !version.pending.isEmpty {
            Console.warning(
                "\(version.pending.count) migration\(version.pending.count == 1 ? "" : "s") pending: \(version.pending.joined(separator: ", "))")
        }
    }
}

/// `migrate version --format json`.
struct VersionReport: Encodable {
    /// The number, null when no migration is applied.
    var version: Int?
    var id: String?
    var description: String?
    var appliedAt: String?
    var failed: [String]
    var pending: [String]

    init(_ version: MigrationVersion) {
        self.version = version.current?.version
        id = version.current?.id
        description = version.current?.description
        appliedAt = version.current?.record.map { ISO8601.string($0.appliedAt) }
        failed = version.failed
        pending = version.pending
    }
}
