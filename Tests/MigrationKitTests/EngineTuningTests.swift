import MigrationEngine
import Testing

@testable import MigrationKit
@testable import PostgresEngine
@testable import SQLiteEngine

/// The pause after each online batch: each engine's own default unless the configuration
/// (`MIGRATE_PAUSE_FACTOR` in the CLI) gives one.
@Suite struct EngineTuningTests {
    func engine(_ database: DatabaseURL, pauseFactor: Double? = nil) throws -> any DatabaseEngine {
        var configuration = MigrationConfiguration(database: database)
        configuration.pauseFactor = pauseFactor
        return try MigrationExecutor(configuration: configuration).openEngine(false)
    }

    @Test func eachEngineKeepsItsOwnPauseWhenNoneIsGiven() throws {
        let postgres = try #require(try engine(.postgres(try! PostgresURL(parsing: "postgres://u@127.0.0.1:1/db"))) as? PostgresEngine)
        let sqlite = try #require(try engine(.sqliteMemory) as? SQLiteEngine)
        #expect(postgres.pauseFactor == 2)
        #expect(sqlite.tuning.pauseFactor == 1)
    }

    @Test func aGivenPauseReachesBothEngines() throws {
        let postgres = try #require(
            try engine(.postgres(try! PostgresURL(parsing: "postgres://u@127.0.0.1:1/db")), pauseFactor: 0.5) as? PostgresEngine)
        let sqlite = try #require(try engine(.sqliteMemory, pauseFactor: 0) as? SQLiteEngine)
        #expect(postgres.pauseFactor == 0.5)
        #expect(sqlite.tuning.pauseFactor == 0)
    }
}
