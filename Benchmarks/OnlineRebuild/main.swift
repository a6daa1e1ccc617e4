// Online vs blocking table rebuild on SQLite, with application writers in other processes.
//
//   swift build -c release --product migrate && swift build -c release --product OnlineRebuildBenchmark
//   .build/release/OnlineRebuildBenchmark --rows 1000000 --mode online
//   .build/release/OnlineRebuildBenchmark --rows 1000000 --mode blocking
//
// Creates `t(id INTEGER PRIMARY KEY, email TEXT, n INTEGER, junk TEXT)` with --rows rows,
// starts --writers writer processes (inserts, updates, deletes; each write timed from its
// start to its commit, SQLite's default busy handler with a 30 s timeout, or with
// `--busy poll` one that retries every 0.5 ms; `synchronous=NORMAL`, or FULL with `--sync full`), runs
// `migrate up` with one migration (n to BIGINT USING, CREATE INDEX CONCURRENTLY on n,
// DROP COLUMN junk), stops the writers, and checks that every committed write survived.
import Foundation
import GRDB

struct Options {
    var rows = 1_000_000
    var mode = "online"
    var writers = 2
    var directory = FileManager.default.temporaryDirectory.appendingPathComponent("migrate-bench").path
    var pauseMicroseconds: UInt32 = 1000
    var index = true
    /// The writers' busy handler: `default` (SQLite's: sleeps 1, 2, 5, 10, 15, ... ms) or `poll` (every 0.5 ms).
    var busy = "default"
    /// The writers' `PRAGMA synchronous`: `normal` or `full` (SQLite's default, and Python's, GRDB's and most drivers').
    var sync = "normal"

    init(_ arguments: [String]) {
        var i = 0
        while i + 1 < arguments.count {
            let value = arguments[i + 1]
            switch arguments[i] {
            case "--rows": rows = Int(value) ?? rows
            case "--mode": mode = value
            case "--writers": writers = Int(value) ?? writers
            case "--dir": directory = value
            case "--pause-us": pauseMicroseconds = UInt32(value) ?? pauseMicroseconds
            case "--index": index = value != "no"
            case "--busy": busy = value
            case "--sync": sync = value
            default: break
            }
            i += 2
        }
    }
}

func configuration(busy: String = "default", sync: String = "normal") -> Configuration {
    var configuration = Configuration()
    // A handler that polls every 0.5 ms for up to 30 s, as an application may install.
    configuration.busyMode =
        busy == "poll"
        ? .callback { tries in
            usleep(500)
            return tries < 60_000
        } : .timeout(30)
    let synchronous = sync == "full" ? "FULL" : "NORMAL"
    configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = \(synchronous)") }
    return configuration
}

func initialN(_ id: Int64) -> Int64 { (id * 7919) % 1_000_003 }

// MARK: Writer process: `OnlineRebuildBenchmark writer <db> <index> <stop-file> <log>`

func runWriter(_ arguments: [String]) throws {
    let (path, index, stopFile, logPath) = (arguments[0], Int64(arguments[1]) ?? 0, arguments[2], arguments[3])
    let writerCount = Int64(arguments.count > 5 ? Int(arguments[5]) ?? 2 : 2)
    let queue = try DatabaseQueue(
        path: path,
        configuration: configuration(
            busy: arguments.count > 6 ? arguments[6] : "default", sync: arguments.count > 7 ? arguments[7] : "normal"))
    let maxID = try queue.read { try Int64.fetchOne($0, sql: "SELECT max(id) FROM t WHERE id < 1000000000") } ?? 0
    var nextID = 1_000_000_000 * (index + 1)
    var log = ""
    var latencies: [Double] = []
    var inserted: [Int64] = []
    let pause = UInt32(arguments.count > 4 ? Int(arguments[4]) ?? 1000 : 1000)
    while !FileManager.default.fileExists(atPath: stopFile) {
        let roll = Int.random(in: 0..<10)
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            if roll < 4 {
                nextID += 1
                let value = Int64.random(in: 0..<1_000_000)
                try queue.write { try $0.execute(sql: "INSERT INTO t (id, email, n) VALUES (?, ?, ?)", arguments: [nextID, "w\(nextID)@x", value]) }
                log += "i \(nextID) \(value)\n"
                inserted.append(nextID)
            } else {
                // Each writer updates only initial rows with id = index (mod writers) and deletes
                // only rows it inserted, so the replay of each log alone gives the final state.
                let random = Int64.random(in: 1...max(1, maxID))
                var own = random - random % writerCount + index
                if own < 1 { own += writerCount }
                if own > maxID { own -= writerCount }
                let id = roll < 8 || inserted.isEmpty ? own : inserted.removeLast()
                if roll < 8 {
                    let value = Int64.random(in: 0..<1_000_000)
                    let changed = try queue.write { db in
                        try db.execute(sql: "UPDATE t SET n = ? WHERE id = ?", arguments: [value, id])
                        return db.changesCount
                    }
                    if changed > 0 { log += "u \(id) \(value)\n" }
                } else {
                    try queue.write { try $0.execute(sql: "DELETE FROM t WHERE id = ?", arguments: [id]) }
                    log += "d \(id) 0\n"
                }
            }
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            log += String(format: "t %.6f %.3f\n", Date().timeIntervalSince1970, latencies.last ?? 0)
        } catch {
            log += "e \(error)\n"
        }
        usleep(pause)
    }
    try log.write(toFile: logPath, atomically: true, encoding: .utf8)
}

// MARK: Driver

func shell(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

func runBenchmark(_ options: Options) throws {
    let binDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
    let dir = options.directory + "/\(options.mode)-\(options.rows)-\(options.index ? "index" : "noindex")"
    try? FileManager.default.removeItem(atPath: dir)
    try FileManager.default.createDirectory(atPath: dir + "/migrations", withIntermediateDirectories: true)
    let path = dir + "/bench.db"

    print("setting up \(options.rows) rows in \(path)")
    let queue = try DatabaseQueue(path: path, configuration: configuration())
    try queue.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA journal_mode = WAL")
        try db.execute(
            sql: """
                CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT NOT NULL, n INTEGER, junk TEXT);
                WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < \(options.rows))
                INSERT INTO t SELECT i, 'user' || i || '@example.com', (i * 7919) % 1000003, 'junk' FROM r;
                PRAGMA wal_checkpoint(TRUNCATE);
                """)
    }
    try
        ("ALTER TABLE t ALTER COLUMN n TYPE BIGINT USING n::BIGINT;\n"
        + (options.index ? "CREATE INDEX CONCURRENTLY idx_t_n ON t (n);\n" : "")
        + "ALTER TABLE t DROP COLUMN junk;\n").write(toFile: dir + "/migrations/001_reshape.up.sql", atomically: true, encoding: .utf8)
    try "ALTER TABLE t ADD COLUMN junk TEXT;\nDROP INDEX idx_t_n;\n".write(
        toFile: dir + "/migrations/001_reshape.down.sql", atomically: true, encoding: .utf8)

    let stopFile = dir + "/stop"
    var writers: [Process] = []
    for index in 0..<options.writers {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = [
            "writer", path, String(index), stopFile, dir + "/writer\(index).log", String(options.pauseMicroseconds), String(options.writers),
            options.busy, options.sync,
        ]
        try process.run()
        writers.append(process)
    }
    Thread.sleep(forTimeInterval: 1)

    let environment = options.mode == "online" ? ["MIGRATE_ONLINE_MIN_ROWS": "0"] : ["MIGRATE_ONLINE_MIN_ROWS": String(Int.max)]
    let start = Date()
    var (status, output) = (Int32(0), "")
    if options.mode == "none" {
        // Baseline: the writers alone, for as long as a migration would run.
        Thread.sleep(forTimeInterval: 10)
    } else {
        (status, output) = try shell(
            binDir + "/migrate", ["up", "--verbose", "--dir", dir + "/migrations", "--database", "sqlite:" + path], environment: environment)
    }
    let migrationSeconds = Date().timeIntervalSince(start)
    Thread.sleep(forTimeInterval: 0.5)
    FileManager.default.createFile(atPath: stopFile, contents: nil)
    for writer in writers { writer.waitUntilExit() }
    guard status == 0 else {
        print(output)
        throw NSError(domain: "bench", code: Int(status))
    }

    // Verify: replay each writer's committed operations over the initial rows.
    enum Expected {
        case value(Int64)
        case deleted
    }
    var expected: [Int64: Expected] = [:]
    var latencies: [Double] = []
    var slow: [(at: Double, ms: Double, writer: Int)] = []
    var operations = 0
    var errors = 0
    for index in 0..<options.writers {
        let log = try String(contentsOfFile: dir + "/writer\(index).log", encoding: .utf8)
        for line in log.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 2)
            switch parts.first {
            case "i", "u":
                if let id = Int64(parts[1]), let value = Int64(parts[2]) {
                    // An update of a deleted row changes nothing.
                    if parts[0] == "u", case .deleted? = expected[id] { break }
                    expected[id] = .value(value)
                }
                operations += 1
            case "d":
                if let id = Int64(parts[1]) { expected[id] = .deleted }
                operations += 1
            case "e": errors += 1
            case "t":
                // Writes that finished while the migration ran.
                if let end = Double(parts[1]), let latency = Double(parts[2]),
                    end >= start.timeIntervalSince1970, end <= start.timeIntervalSince1970 + migrationSeconds
                {
                    latencies.append(latency)
                    if latency > 20 { slow.append((end - latency / 1000 - start.timeIntervalSince1970, latency, index)) }
                }
            default: break
            }
        }
    }
    let checkQueue = try DatabaseQueue(path: path, configuration: configuration())
    var lost = 0
    try checkQueue.read { db in
        for (id, value) in expected {
            let actual = try Int64.fetchOne(db, sql: "SELECT n FROM t WHERE id = ?", arguments: [id])
            let exists = try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM t WHERE id = ?", arguments: [id]) ?? false
            switch value {
            case .value(let n): if actual != n { lost += 1 }
            case .deleted: if exists { lost += 1 }
            }
        }
        // Initial rows no writer touched still hold their initial value.
        let changed = try Int64.fetchAll(db, sql: "SELECT id FROM t WHERE id <= ? AND n != (id * 7919) % 1000003", arguments: [options.rows])
        lost += changed.filter { expected[$0] == nil }.count
        // Initial rows missing are exactly those a writer deleted.
        let missing = try Int.fetchOne(db, sql: "SELECT ? - count(*) FROM t WHERE id <= ?", arguments: [options.rows, options.rows]) ?? 0
        let deletedInitial = expected.filter { entry in
            if case .deleted = entry.value { return entry.key <= Int64(options.rows) }
            return false
        }.count
        lost += abs(missing - deletedInitial)
    }
    let schema = try checkQueue.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_schema WHERE tbl_name = 't' ORDER BY name") }
    let type = try checkQueue.read { try String.fetchOne($0, sql: "SELECT type FROM pragma_table_info('t') WHERE name = 'n'") } ?? "?"

    // The migrator's side: how long each batch held the write lock (from `--verbose`).
    let holds = output.split(separator: "\n").compactMap { line -> Double? in
        guard let range = line.range(of: " rows in "), line.hasSuffix(" ms") else { return nil }
        return Double(line[range.upperBound...].dropLast(3))
    }
    if !holds.isEmpty {
        print(
            String(
                format: "batches=%d hold p50=%.2fms p99=%.2fms max=%.2fms over-5ms=%d",
                holds.count, percentile(holds, 0.5), percentile(holds, 0.99), holds.max() ?? 0, holds.filter { $0 > 5 }.count))
    }
    if ProcessInfo.processInfo.environment["BENCH_SLOW"] != nil {
        // When the slow writes started, in seconds since `migrate up` started (to match its --verbose timeline).
        print(
            String(
                format: "migrate up started at %.3f (seconds since 1970, mod 1000)", start.timeIntervalSince1970.truncatingRemainder(dividingBy: 1000)
            ))
        for write in slow.sorted(by: { $0.at < $1.at }) {
            print(String(format: "slow write: writer %d started at %.4f s, took %.1f ms", write.writer, write.at, write.ms))
        }
    }
    print(
        String(
            format:
                "busy=\(options.busy) sync=\(options.sync) index=\(options.index ? "yes" : "no") mode=%@ rows=%d total=%.2fs writers=%d writes-during-migration=%d (%.0f/s) latency p50=%.2fms p99=%.2fms max=%.2fms over-20ms=%d errors=%d lost=%d checked=%d schema=%@ n=%@",
            options.mode, options.rows, migrationSeconds, options.writers, latencies.count, Double(latencies.count) / migrationSeconds,
            percentile(latencies, 0.5), percentile(latencies, 0.99), latencies.max() ?? 0, slow.count, errors, lost, operations,
            schema.joined(separator: ","), type))
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    if arguments.first == "writer" {
        try runWriter(Array(arguments.dropFirst()))
    } else {
        try runBenchmark(Options(arguments))
    }
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
