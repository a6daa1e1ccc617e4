// Online vs blocking schema change on PostgreSQL, with application writers throughout.
//
//   swift build -c release --product migrate && swift build -c release --product PostgresOnlineBenchmark
//   .build/release/PostgresOnlineBenchmark --url postgres://... --rows 1000000 --mode online
//   .build/release/PostgresOnlineBenchmark --url postgres://... --rows 1000000 --mode blocking
//
// Creates a new database with `users(id)` (10,000 rows) and
// `orders(id bigint primary key, user_id bigint, amount integer, hits integer)` with --rows
// rows, starts --writers writers (each its own connection: inserts, updates, deletes in
// autocommit, every statement timed), then runs the change: amount to bigint, an index on
// user_id, a foreign key to users. `online` runs `migrate up` on a migration file
// (expand/contract, CREATE INDEX CONCURRENTLY, NOT VALID + VALIDATE); `blocking` runs the
// plain statements; `none` lets the writers run 15 s alone; `scan` runs them 15 s beside a
// loop of full-table reads in one process (what any long query costs them here). Then it
// stops the writers and checks every committed write survived. `--pause-ms N` makes each
// writer pause N ms between writes (default: a tight loop). BENCH_WAITS=1 samples the
// backends every 5 ms and lists those a statement kept busy over 20 ms, with their wait events.
import Foundation
import Logging
import NIOPosix
import PostgresNIO

struct Options {
    var url = ProcessInfo.processInfo.environment["MIGRATE_TEST_POSTGRES_URL"] ?? ""
    var rows = 1_000_000
    var mode = "online"
    var writers = 2
    var migrate = ".build/release/migrate"
    /// `max_parallel_maintenance_workers` for the new database; nil keeps the server's.
    var buildWorkers: Int?
    /// Each writer's pause between two writes, in milliseconds (0: a tight loop).
    var pauseMilliseconds = 0.0

    init(_ arguments: [String]) {
        var i = 0
        while i + 1 < arguments.count {
            let value = arguments[i + 1]
            switch arguments[i] {
            case "--url": url = value
            case "--rows": rows = Int(value) ?? rows
            case "--mode": mode = value
            case "--writers": writers = Int(value) ?? writers
            case "--migrate": migrate = value
            case "--build-workers": buildWorkers = Int(value)
            case "--pause-ms": pauseMilliseconds = Double(value) ?? pauseMilliseconds
            default: break
            }
            i += 2
        }
    }
}

let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })

func connect(_ url: URL) async throws -> PostgresConnection {
    var configuration = PostgresConnection.Configuration(
        host: url.host ?? "127.0.0.1", port: url.port ?? 5432, username: url.user ?? "postgres", password: url.password,
        database: String(url.path.dropFirst()), tls: .disable)
    configuration.options.connectTimeout = .seconds(10)
    return try await PostgresConnection.connect(configuration: configuration, id: Int.random(in: 1...1_000_000), logger: logger)
}

func execute(_ connection: PostgresConnection, _ sql: String) async throws {
    for try await _ in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {}
}

func value(_ connection: PostgresConnection, _ sql: String) async throws -> String? {
    for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
        return try row.decode(String?.self)
    }
    return nil
}

/// The rows among `ids` that exist: their `hits` and how far `amount` moved from its initial value.
func currentRows(_ connection: PostgresConnection, ids: [Int64]) async throws -> [Int64: (hits: Int, moved: Int)] {
    var found: [Int64: (hits: Int, moved: Int)] = [:]
    for start in stride(from: 0, to: ids.count, by: 10_000) {
        let list = ids[start..<min(start + 10_000, ids.count)].map(String.init).joined(separator: ",")
        let sql = "SELECT id, hits::bigint, (amount - id % 1000)::bigint FROM orders WHERE id = ANY('{\(list)}'::bigint[])"
        for try await (id, hits, moved) in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(
            (Int64, Int64, Int64).self)
        {
            found[id] = (Int(hits), Int(moved))
        }
    }
    return found
}

/// What one writer did, for the latency figures and the check afterwards.
struct WriterLog: Sendable {
    var latencies: [Double] = []
    var inserted: [Int64] = []
    var deleted: Set<Int64> = []
    /// Committed updates per row (each adds 1 to amount and to hits).
    var updates: [Int64: Int] = [:]
    var errors: [String] = []
    /// Writes slower than 20 ms: (seconds since 1970 mod 1000 at the start, ms).
    var slow: [(Double, Double)] = []
}

final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    var isStopped: Bool { lock.withLock { stopped } }
    func stop() { lock.withLock { stopped = true } }
}

/// Writer `index` of `count`: touches only rows with id % count == index, so the expected
/// state of every row is known exactly.
func writer(_ url: URL, index: Int, count: Int, rows: Int, pause: Double, stop: StopFlag) async throws -> WriterLog {
    let connection = try await connect(url)
    var log = WriterLog()
    var nextID = Int64(1_000_000_000) * Int64(index + 1)
    let clock = ContinuousClock()
    while !stop.isStopped {
        if pause > 0 { try await Task.sleep(nanoseconds: UInt64(pause * 1_000_000)) }
        let choice = Int.random(in: 0..<10)
        let sql: String
        var id: Int64 = 0
        if choice < 5 {
            id = Int64(Int.random(in: 0..<(rows / count))) * Int64(count) + Int64(index) + 1
            if log.deleted.contains(id) { continue }
            sql = "UPDATE orders SET amount = amount + 1, hits = hits + 1 WHERE id = \(id)"
        } else if choice < 9 {
            nextID += 1
            id = nextID
            sql = "INSERT INTO orders (id, user_id, amount, hits) VALUES (\(id), \(id % 10_000 + 1), \(id % 1000), 0)"
        } else {
            id = Int64(Int.random(in: 0..<(rows / count))) * Int64(count) + Int64(index) + 1
            sql = "DELETE FROM orders WHERE id = \(id)"
        }
        let start = clock.now
        let wallStart = Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 1000)
        do {
            try await execute(connection, sql)
        } catch {
            log.errors.append("\(String(reflecting: error).prefix(300))")
            try? await Task.sleep(nanoseconds: 10_000_000)
            continue
        }
        let elapsed = clock.now - start
        let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        log.latencies.append(milliseconds)
        if milliseconds > 20 { log.slow.append((wallStart, milliseconds)) }
        if choice < 5 {
            log.updates[id, default: 0] += 1
        } else if choice < 9 {
            log.inserted.append(id)
        } else {
            log.deleted.insert(id)
            log.updates[id] = nil
        }
    }
    try await connection.close()
    return log
}

/// Samples the other client backends every 5 ms until `stop`; returns a line for each
/// sample that finds one in a statement running over 20 ms: when, how long, what it waits on.
func sampleWaits(_ url: URL, stop: StopFlag) async throws -> [String] {
    let connection = try await connect(url)
    var lines: [String] = []
    let sql = """
        SELECT pid::text || ' ' || round(extract(epoch FROM clock_timestamp() - query_start) * 1000)::text || ' ms '
               || coalesce(wait_event_type || ':' || wait_event, 'cpu') || ' ' || left(query, 40)
        FROM pg_stat_activity
        WHERE backend_type = 'client backend' AND state = 'active' AND pid <> pg_backend_pid()
          AND query NOT LIKE 'SELECT pid::text%' AND clock_timestamp() - query_start > interval '20 ms'
        """
    while !stop.isStopped {
        let at = Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 1000)
        for try await line in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(String.self) {
            lines.append(String(format: "busy at %.3f: ", at) + line)
        }
        try await Task.sleep(nanoseconds: 5_000_000)
    }
    try await connection.close()
    return lines
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

func run(_ options: Options) async throws {
    guard var base = URL(string: options.url), !options.url.isEmpty else {
        throw NSError(domain: "bench", code: 2, userInfo: [NSLocalizedDescriptionKey: "give --url postgres://... or MIGRATE_TEST_POSTGRES_URL"])
    }
    let name = "bench_\(options.mode)_\(options.rows)"
    let admin = try await connect(base)
    try await execute(admin, "DROP DATABASE IF EXISTS \(name)")
    try await execute(admin, "CREATE DATABASE \(name)")
    if let workers = options.buildWorkers {
        try await execute(admin, "ALTER DATABASE \(name) SET max_parallel_maintenance_workers = \(workers)")
    }
    try await admin.close()
    base = URL(string: options.url.replacingOccurrences(of: base.path, with: "/\(name)"))!
    let setup = try await connect(base)
    let loadStart = Date()
    try await execute(setup, "CREATE TABLE users (id bigint PRIMARY KEY)")
    try await execute(setup, "INSERT INTO users SELECT generate_series(1, 10000)")
    try await execute(setup, "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, amount integer NOT NULL, hits integer NOT NULL DEFAULT 0)")
    try await execute(setup, "INSERT INTO orders SELECT i, i % 10000 + 1, i % 1000, 0 FROM generate_series(1, \(options.rows)) i")
    try await execute(setup, "VACUUM ANALYZE orders")
    print("loaded \(options.rows) rows in \(String(format: "%.1f", Date().timeIntervalSince(loadStart))) s")

    let stop = StopFlag()
    let target = base
    let tasks = (0..<options.writers).map { index in
        Task { try await writer(target, index: index, count: options.writers, rows: options.rows, pause: options.pauseMilliseconds, stop: stop) }
    }
    try await Task.sleep(nanoseconds: 2_000_000_000)

    let started = Date()
    let statements = [
        "ALTER TABLE orders ALTER COLUMN amount TYPE bigint USING amount::bigint",
        "CREATE INDEX idx_orders_user ON orders (user_id)",
        "ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id)",
    ]
    var migrationOutput = ""
    let sampler = ProcessInfo.processInfo.environment["BENCH_WAITS"] != nil ? Task { try await sampleWaits(base, stop: stop) } : nil
    if options.mode == "none" {
        // The writers alone, for the noise floor of this machine.
        try await Task.sleep(nanoseconds: 15_000_000_000)
    } else if options.mode == "scan" {
        // The writers beside full-table reads: the cost of any long query on this machine.
        let reader = try await connect(base)
        try await execute(reader, "SET max_parallel_workers_per_gather = 0")  // one process, like VALIDATE
        let end = Date().addingTimeInterval(15)
        while Date() < end { _ = try await value(reader, "SELECT count(*)::text FROM orders WHERE amount + hits < 0") }
        try await reader.close()
    } else if options.mode == "online" {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pg-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/migrations", withIntermediateDirectories: true)
        let up = """
            ALTER TABLE orders ALTER COLUMN amount TYPE bigint USING amount::bigint CONCURRENTLY;
            CREATE INDEX CONCURRENTLY idx_orders_user ON orders (user_id);
            ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id);
            """
        try up.write(toFile: directory + "/migrations/001_change.up.sql", atomically: true, encoding: .utf8)
        try "SELECT 1;".write(toFile: directory + "/migrations/001_change.down.sql", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: options.migrate)
        process.arguments = ["up", "--dir", directory + "/migrations", "--database", base.absoluteString]
        if ProcessInfo.processInfo.environment["BENCH_SLOW"] != nil {
            process.environment = ProcessInfo.processInfo.environment.merging(["MIGRATE_TRACE_SQL": "1"]) { _, new in new }
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        migrationOutput = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else { throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: migrationOutput]) }
    } else {
        let connection = try await connect(base)
        for sql in statements { try await execute(connection, sql) }
        try await connection.close()
    }
    let total = Date().timeIntervalSince(started)
    try await Task.sleep(nanoseconds: 1_000_000_000)
    stop.stop()
    var logs: [WriterLog] = []
    for task in tasks { logs.append(try await task.value) }
    let waits = try await sampler?.value ?? []

    // Every committed write survived, checked 10,000 rows a query.
    var lost = 0
    var checked = 0
    for log in logs {
        let present = try await currentRows(setup, ids: log.inserted + Array(log.deleted) + Array(log.updates.keys))
        for id in log.inserted {
            checked += 1
            if present[id] == nil { lost += 1 }
        }
        for id in log.deleted {
            checked += 1
            if present[id] != nil { lost += 1 }
        }
        for (id, hits) in log.updates {
            checked += 1
            if let row = present[id], row.hits == hits, row.moved == hits {} else { lost += 1 }
        }
    }
    let type = try await value(
        setup, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'amount'")
    let fk = try await value(setup, "SELECT convalidated::text FROM pg_constraint WHERE conname = 'fk_orders_user'")
    try await setup.close()

    let latencies = logs.flatMap(\.latencies)
    let errors = logs.flatMap(\.errors)
    print("mode \(options.mode), rows \(options.rows), writers \(options.writers), pause \(options.pauseMilliseconds) ms")
    print(
        String(
            format: "migration total %.2f s; writers: %d writes, p99 %.2f ms, max %.1f ms, %.0f writes/s; lost %d of %d checked; errors %d",
            total, latencies.count, percentile(latencies, 0.99), latencies.max() ?? 0,
            Double(latencies.count) / (total + 3), lost, checked, errors.count))
    print("amount is \(type ?? "?"), foreign key validated: \(fk ?? "missing")")
    for error in errors.prefix(3) { print("writer error: \(error)") }
    if ProcessInfo.processInfo.environment["BENCH_SLOW"] != nil {
        for (at, ms) in logs.flatMap(\.slow).sorted(by: { $0.0 < $1.0 }) { print(String(format: "slow write at %.3f: %.1f ms", at, ms)) }
        print(migrationOutput)
    }
    for line in waits { print(line) }
    if options.mode == "online" {
        print(migrationOutput.split(separator: "\n").filter { $0.contains("OK") || $0.contains("error") }.joined(separator: "\n"))
    }
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
do {
    try await run(options)
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
