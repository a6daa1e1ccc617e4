import ArgumentParser
import MigrationKit

struct Create: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the next NNN_<slug>.up.sql / .down.sql pair.",
        discussion: "Example: migrate create \"add user roles\"")

    @Argument(help: "What the migration does, e.g. \"add status column\".")
    var description: String

    @OptionGroup var options: GlobalOptions

    func validate() throws { try options.requireTextOrJSON() }

    func run() async throws {
        let directory = try options.configuration().migrationsDirectory
        let (up, down) = try MigrationDirectory.create(description: description, in: directory)
        let console = Console(format: options.format)
        if options.format == .json {
            console.json(["up": up, "down": down])
        } else {
            console.line(console.icon("✅", plain: "Created") + " " + up)
            console.line(console.icon("✅", plain: "Created") + " " + down)
        }
    }
}
