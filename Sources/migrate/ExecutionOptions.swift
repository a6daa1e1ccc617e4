import ArgumentParser

/// The flags `up` and `down` share.
struct ExecutionOptions: ParsableArguments {
    @Flag(name: .long, help: "Check and show the plan against a schema-only copy; change nothing.")
    var dryRun = false

    @Option(name: .long, help: "Seconds to wait for the migrator lock and the database's write lock (default: 300).")
    var lockTimeout: Double?

    @Flag(name: .long, help: "Allow statements that destroy data wholesale (DROP TABLE, TRUNCATE); reserved: such statements are not refused yet.")
    var allowDangerous = false

    func validate() throws {
        if let lockTimeout, lockTimeout < 0 { throw ValidationError("--lock-timeout must be 0 or more seconds") }
    }
}
