/// How the executor runs: the seed's `MigrationConfig`.
public struct MigrationConfiguration: Sendable {
    /// The directory of `NNN_<slug>.up.sql` / `.down.sql` files.
    public var migrationsDirectory: String
    /// The database to migrate.
    public var database: DatabaseURL
    /// The desired-state files (a folder or one file) `plan` and `check` compare with.
    public var schemaPath: String = "schema"
    /// Whether `schemaPath` was given (`--schema`, `schema:` in migrate.yaml): then a
    /// missing path is an error, not a note that schema files were not compared.
    public var schemaPathIsExplicit = false
    /// Validate and show the plan against a schema-only copy; change nothing.
    public var dryRun: Bool
    /// Seconds to wait for the migrator lock and for the database's write lock.
    public var lockTimeout: Double
    /// Roll a failed migration back so the database is exactly as before it. SQLite runs
    /// each migration in one transaction, so this is always the case there; engines that
    /// commit parts of a migration separately undo those parts when it is true.
    public var autoRollback: Bool
    /// How many independent long operations (e.g. concurrent index builds) may run at
    /// once, on engines that can run them in parallel; SQLite has one writer and runs them in turn.
    public var maxConcurrentOperations: Int
    /// Tables with fewer rows are rebuilt in one short transaction instead of online.
    public var onlineMinimumRows: Int
    /// How long one batch of an online rebuild may hold the write lock, in milliseconds.
    public var batchMilliseconds: Double
    /// After each online batch the database is left to the application for this many times
    /// the batch's duration; nil for each engine's default (SQLite 1, PostgreSQL 2).
    public var pauseFactor: Double?
    /// lock_timeout of one try at a strong lock on engines that retry (PostgreSQL), in
    /// milliseconds; nil for the engine's default (50 ms).
    public var lockAttemptMilliseconds: Double?
    /// Run statements that destroy data wholesale (DROP TABLE, TRUNCATE, DELETE/UPDATE
    /// without WHERE) without the file's `-- migrate:allow-dangerous` marker.
    public var allowDangerous = false
    /// Treat lint warnings as errors: refuse to run (exit 2).
    public var strict = false
    /// An empty database of the same engine the desired state is loaded into to be
    /// compared as the engine stores it (`--dev-url`); nil for a temporary one (SQLite:
    /// in memory; PostgreSQL: a database created on the same server and dropped after).
    public var devDatabase: DatabaseURL?

    /// A configuration; the defaults are those of the command line.
    public init(
        migrationsDirectory: String = "migrations",
        database: DatabaseURL = .defaultURL,
        dryRun: Bool = false,
        lockTimeout: Double = 300,
        autoRollback: Bool = true,
        maxConcurrentOperations: Int = 4,
        onlineMinimumRows: Int = 10_000,
        batchMilliseconds: Double = 1
    ) {
        self.migrationsDirectory = migrationsDirectory
        self.database = database
        self.dryRun = dryRun
        self.lockTimeout = lockTimeout
        self.autoRollback = autoRollback
        self.maxConcurrentOperations = maxConcurrentOperations
        self.onlineMinimumRows = onlineMinimumRows
        self.batchMilliseconds = batchMilliseconds
    }
}
