// CatalogBenchmark: `migrate inspect`, `plan --dry-run` and `check` on a large PostgreSQL
// catalog, beside `pg_dump --schema-only` of the same database and migra's diff of the same
// change (issue 17). Run on demand (docs/benchmarks.md):
//
//   scripts/postgres-server start > /tmp/pgenv && source /tmp/pgenv
//   swift build -c release --product migrate --product CatalogBenchmark
//   .build/release/CatalogBenchmark --url "$MIGRATE_TEST_POSTGRES_URL" --tables 1000,5000 --runs 5
//
// For each size it creates a database of N tables x 20 columns (8 types in turn, every third
// NOT NULL, every fifth with a default, a primary key, an index and a foreign key to the
// previous table each) and a second one in which every tenth table differs (in turn: a new
// column, a type change, a new two-column index, a dropped column). Our side plans the
// second's schema (as one SQL file) against the first database; migra diffs the two
// databases. migra comes from PATH, or `--migra`; without it that column is empty. `--keep`
// leaves the databases and files in place (for profiling).

import Foundation

struct Options {
    var sizes = [1000, 5000]
    var runs = 5
    var url = ProcessInfo.processInfo.environment["MIGRATE_TEST_POSTGRES_URL"] ?? ""
    var migrate: String
    var migra: String?
    var keep = false

    init(_ arguments: [String]) {
        migrate = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/migrate"
        var i = 0
        while i < arguments.count {
            let value = i + 1 < arguments.count ? arguments[i + 1] : ""
            switch arguments[i] {
            case "--tables": sizes = value.split(separator: ",").compactMap { Int($0) }
            case "--runs": runs = Int(value) ?? runs
            case "--url": url = value
            case "--migrate": migrate = value
            case "--migra": migra = value
            case "--keep":
                keep = true
                i -= 1
            default:
                FileHandle.standardError.write(
                    Data("unknown argument \(arguments[i]); expected --tables, --runs, --url, --migrate, --migra, --keep\n".utf8))
                exit(2)
            }
            i += 2
        }
    }
}

/// Runs `executable`; its wall time in seconds and standard output. Exits on an unexpected status.
@discardableResult
func run(_ executable: String, _ arguments: [String], accept: Set<Int32> = [0], input: String? = nil) -> (Double, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    let stdin = Pipe()
    if input != nil { process.standardInput = stdin }
    let start = Date()
    do { try process.run() } catch {
        print("cannot run \(executable): \(error)")
        exit(1)
    }
    if let input {
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let message = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let seconds = Date().timeIntervalSince(start)
    guard accept.contains(process.terminationStatus) else {
        print("\(executable) \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(String(decoding: message, as: UTF8.self))")
        exit(1)
    }
    return (seconds, String(decoding: data, as: UTF8.self))
}

func which(_ name: String) -> String? {
    for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        let path = String(folder) + "/" + name
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// The URL of database `name` on the server of `url`.
func database(_ url: String, _ name: String) -> String {
    guard var components = URLComponents(string: url) else { return url }
    components.path = "/" + name
    return components.string ?? url
}

/// A constant default of `type`.
func defaultValue(_ type: String) -> String {
    switch type {
    case "text", "varchar(64)": return "''"
    case "boolean": return "false"
    case "jsonb": return "'{}'"
    case "timestamptz": return "'2000-01-01 00:00:00+00'"
    default: return "0"
    }
}

/// The schema: `changed` makes every tenth table differ.
func schemaSQL(tables: Int, columns: Int, changed: Bool) -> String {
    let types = ["integer", "bigint", "text", "varchar(64)", "boolean", "numeric(12,2)", "timestamptz", "jsonb"]
    var sql = ""
    for t in 1...tables {
        let change = changed && t % 10 == 0 ? (t / 10) % 4 : -1
        var lines = ["  id bigint PRIMARY KEY"]
        for c in 1..<columns {
            if change == 3 && c == columns - 1 { continue }  // a dropped column
            var type = types[c % types.count]
            if change == 1 && c == 1 { type = "text" }  // a type change (bigint -> text)
            var line = "  c\(c) \(type)"
            if c % 3 == 0 { line += " NOT NULL" }
            if c % 5 == 0 { line += " DEFAULT " + defaultValue(type) }
            lines.append(line)
        }
        if change == 0 { lines.append("  added text") }  // a new column
        if t > 1 { lines.append("  parent bigint REFERENCES t\(t - 1) (id)") }
        sql += "CREATE TABLE t\(t) (\n" + lines.joined(separator: ",\n") + "\n);\n"
        sql += "CREATE INDEX t\(t)_c1 ON t\(t) (c1);\n"
        if change == 2 { sql += "CREATE INDEX t\(t)_c1_c2 ON t\(t) (c1, c2);\n" }
    }
    return sql
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
signal(SIGPIPE, SIG_IGN)  // a child that exits early must fail its run, not kill the benchmark
guard !options.url.isEmpty else {
    print("pass --url postgres://... (or set MIGRATE_TEST_POSTGRES_URL, e.g. from scripts/postgres-server start)")
    exit(1)
}
guard let psql = which("psql"), let pgDump = which("pg_dump") else {
    print("psql and pg_dump must be on PATH")
    exit(1)
}
let migra = options.migra ?? which("migra")

print(
    "machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB; median of \(options.runs) runs; migra: \(migra ?? "not found")"
)
print("| tables | pg_dump --schema-only | inspect | plan, in sync | plan, 10% changed | check, in sync | migra, 10% changed |")
print("|---:|---:|---:|---:|---:|---:|---:|")
let root = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)").path
try FileManager.default.createDirectory(atPath: root + "/migrations", withIntermediateDirectories: true)
for size in options.sizes {
    let live = "bench_catalog_\(size)"
    let target = "bench_catalog_\(size)_target"
    for name in [live, target] {
        run(psql, [options.url, "-q", "-c", "DROP DATABASE IF EXISTS \(name)", "-c", "CREATE DATABASE \(name)"])
    }
    run(psql, [database(options.url, live), "-q", "-v", "ON_ERROR_STOP=1"], input: schemaSQL(tables: size, columns: 20, changed: false))
    let desired = schemaSQL(tables: size, columns: 20, changed: true)
    run(psql, [database(options.url, target), "-q", "-v", "ON_ERROR_STOP=1"], input: desired)
    try schemaSQL(tables: size, columns: 20, changed: false).write(toFile: root + "/same.sql", atomically: false, encoding: .utf8)
    try desired.write(toFile: root + "/changed.sql", atomically: false, encoding: .utf8)
    let url = database(options.url, live)
    func times(_ body: () -> Double) -> Double { median((0..<options.runs).map { _ in body() }) }
    let dump = times { run(pgDump, ["--schema-only", url]).0 }
    let inspect = times { run(options.migrate, ["inspect", "--database", url]).0 }
    let common = ["--dir", root + "/migrations", "--database", url]
    let inSync = times { run(options.migrate, ["plan", "--dry-run", "--schema", root + "/same.sql"] + common).0 }
    let changed = times { run(options.migrate, ["plan", "--dry-run", "--allow-destructive", "--schema", root + "/changed.sql"] + common).0 }
    // `check` compares schema, migrations and database: the live database gets a baseline first.
    let historyDir = root + "/history-\(size)"
    try FileManager.default.createDirectory(atPath: historyDir, withIntermediateDirectories: true)
    let history = ["--dir", historyDir, "--database", url]
    run(options.migrate, ["baseline", "--schema", root + "/same.sql"] + history)
    let check = times { run(options.migrate, ["check", "--schema", root + "/same.sql"] + history).0 }
    let theirs = migra.map { migra in
        // SQLAlchemy, under migra, knows the scheme only as postgresql://.
        let sqlAlchemy = { (url: String) in url.hasPrefix("postgres://") ? "postgresql://" + url.dropFirst("postgres://".count) : url }
        return times { run(migra, ["--unsafe", sqlAlchemy(url), sqlAlchemy(database(options.url, target))], accept: [0, 2]).0 }
    }
    print(
        String(
            format: "| %d | %.2f s | %.2f s (%.2fx) | %.2f s (%.2fx) | %.2f s (%.2fx) | %.2f s | %@ |", size, dump, inspect, inspect / dump, inSync,
            inSync / dump, changed, changed / dump, check, theirs.map { String(format: "%.2f s (ours %.1fx faster)", $0, $0 / changed) } ?? "-"))
    if options.keep {
        print("kept: databases \(live), \(target); schema files and migrations in \(root)")
    } else {
        for name in [live, target] { run(psql, [options.url, "-q", "-c", "DROP DATABASE IF EXISTS \(name)"]) }
    }
}
if !options.keep { try? FileManager.default.removeItem(atPath: root) }
